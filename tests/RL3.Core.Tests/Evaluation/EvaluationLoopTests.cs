using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;
using ActionSelection = RL3.Core.Policies.ActionSelection;

namespace RL3.Core.Tests.Evaluation;

/// <summary>
/// The one evaluation loop: baselines, policies (batched or as an agent) and recorders all go through it, with the
/// documented streams, whatever the number of slots, waves and threads.
/// </summary>
public sealed class EvaluationLoopTests
{
    private const int H = 12;
    private const ulong Seed = 41;

    [TestCase(1)]
    [TestCase(3)]
    public void MetaEvaluator_TaskCountNotAMultipleOfTheWave_EqualsEachTaskPlayedAlone(int threads)
    {
        // 70 tasks: one full wave of 64 and a last one of 6. Each task must get exactly what MetaEpisodeRunner gives
        // it alone with the documented streams (parameters from the seed, dynamics stream 1, agent stream 2).
        var distribution = new TestBanditDistribution(3);
        IMetaAgentFactory[] methods = [new ThompsonSamplingAgentFactory(), new PsrlAgentFactory()];
        var report = new MetaEvaluator(new EvaluationOptions { TaskCount = 70, InteractionBudget = H, Seed = Seed, MaxDegreeOfParallelism = threads }).Evaluate(distribution, methods);
        foreach (var factory in methods)
        {
            var expected = Enumerable.Range(0, 70).Select(i =>
            {
                ulong seed = TaskSampler.GetTaskSeed(Seed, TaskSplit.Test, i);
                return MetaEpisodeRunner.Run(factory.CreateEnvironment(distribution, H), factory.CreateAgent(), distribution.Sample(new RandomSource(seed)), RandomSource.Derive(seed, 1), RandomSource.Derive(seed, 2), [], out _);
            });
            Assert.That(report[factory.Name].TaskReturns.ToArray(), Is.EqualTo(expected.ToArray()), factory.Name);
        }
    }

    [TestCase(ActionSelection.Greedy)]
    [TestCase(ActionSelection.Sample)]
    public void PolicyAgentFactory_InMetaEvaluator_EqualsPolicyEvaluatorTaskForTask(ActionSelection selection)
    {
        var (spec, policy) = Policy();
        using (policy)
        {
            var alone = PolicyEvaluator.Evaluate(policy, spec, 70, Seed, selection);
            var report = new MetaEvaluator(new EvaluationOptions { TaskCount = 70, InteractionBudget = H, Seed = Seed })
                .Evaluate(spec.Distribution, [new PolicyAgentFactory("policy", policy, spec, selection), new RandomAgentFactory()]);
            Assert.That(report["policy"].TaskReturns.ToArray(), Is.EqualTo(alone.TaskReturns.ToArray()));
            Assert.That(report["policy"].Mean, Is.EqualTo(alone.Mean));
        }
    }

    [Test]
    public void PolicyAgent_Greedy_PlaysAsTheBatchedLoop()
    {
        var (spec, policy) = Policy();
        using (policy)
        {
            var batched = PolicyEvaluator.Evaluate(policy, spec, 8, Seed);
            var factory = new PolicyAgentFactory("policy", policy, spec);
            for (int i = 0; i < 8; i++)
            {
                ulong seed = TaskSampler.GetTaskSeed(Seed, TaskSplit.Test, i);
                double alone = MetaEpisodeRunner.Run(factory.CreateEnvironment(spec.Distribution, H), factory.CreateAgent(), spec.Distribution.Sample(new RandomSource(seed)), RandomSource.Derive(seed, 1), RandomSource.Derive(seed, 2), [], out _);
                Assert.That(alone, Is.EqualTo(batched.TaskReturns[i]), $"task {i}");
            }
        }
    }

    [Test]
    public void PolicyAgentFactory_OtherShapesOrBudget_Throws()
    {
        var (spec, policy) = Policy();
        using (policy)
        {
            var factory = new PolicyAgentFactory("policy", policy, spec);
            Assert.That(() => factory.EnsureSupports(new TestBanditDistribution(5), H), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution"));
            Assert.That(() => factory.EnsureSupports(spec.Distribution, H + 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("interactionBudget"));
            var other = MetaEnvironmentSpec.ForAlgorithm(new TestBanditDistribution(3), MetaAlgorithm.Rl3, H, new InnerEstimatorOptions { ValueScale = 1 });
            Assert.That(() => new PolicyAgentFactory("policy", policy, other), Throws.ArgumentException.With.Property("ParamName").EqualTo("policy"));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Recorders_SeeEveryTaskOnceWithHStepsAndItsReturn_NotThePaddedSlots(bool policyPlayer)
    {
        var (spec, policy) = Policy();
        using (policy)
        {
            var counter = new CountingRecorder();
            var curve = new AdaptationCurveRecorder();
            MethodResult result;
            if (policyPlayer)
            {
                result = PolicyEvaluator.Evaluate(policy, spec, 70, Seed, recorders: [counter, curve]);
            }
            else
            {
                var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = 70, InteractionBudget = H, Seed = Seed, RecordAdaptationCurve = false });
                result = evaluator.EvaluateMethod(spec.Distribution, new ThompsonSamplingAgentFactory(), TaskSplit.Test, [counter, curve]);
            }

            Assert.Multiple(() =>
            {
                Assert.That(counter.Starts, Is.EqualTo(1));
                Assert.That(counter.Begun, Is.EqualTo(Enumerable.Range(0, 70)));
                Assert.That(counter.Steps, Is.All.EqualTo(H));
                Assert.That(counter.Returns, Is.EqualTo(result.TaskReturns.ToArray()));
                Assert.That(counter.Returns, Is.EqualTo(counter.RewardSums), "OnMetaEpisodeEnd gets the sum of the H rewards");
                Assert.That(curve.Curve, Has.Length.EqualTo(H), "bandits: one step per task episode");
                Assert.That(curve.Curve.Sum(p => p.MeanReturn), Is.EqualTo(result.Mean).Within(1e-9));
            });
        }
    }

    private static (MetaEnvironmentSpec Spec, IMetaPolicy Policy) Policy()
    {
        var spec = MetaEnvironmentSpec.ForAlgorithm(new TestBanditDistribution(4), MetaAlgorithm.Rl3, H, new InnerEstimatorOptions { ValueScale = 1 });
        return (spec, new MlpPolicy(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new MlpPolicyOptions { HiddenSize = 16, Seed = 3 }));
    }

    private sealed class CountingRecorder : IEvaluationRecorder
    {
        public int Starts { get; private set; }

        public List<int> Begun { get; } = [];

        public int[] Steps { get; private set; } = [];

        public double[] Returns { get; private set; } = [];

        public double[] RewardSums { get; private set; } = [];

        public void OnStart(int taskCount, int interactionBudget)
        {
            Starts++;
            Steps = new int[taskCount];
            Returns = new double[taskCount];
            RewardSums = new double[taskCount];
        }

        public void OnMetaEpisodeStart(int task, MetaEnvironment environment) => Begun.Add(task);

        public void OnStep(int task, MetaEnvironment environment, int action, in MetaStep step)
        {
            Steps[task]++;
            RewardSums[task] += step.Reward;
        }

        public void OnMetaEpisodeEnd(int task, double metaReturn) => Returns[task] = metaReturn;
    }
}
