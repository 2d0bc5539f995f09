using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tests.Meta;

namespace RL3.Core.Tests.Evaluation;

public sealed class MetaEvaluatorTests
{
    private static IMetaAgentFactory[] BanditMethods() =>
    [
        new RandomAgentFactory(),
        new Ucb1AgentFactory(0.3),
        new ThompsonSamplingAgentFactory(),
        new GittinsIndexAgentFactory(),
        new PsrlAgentFactory(),
        new TaskOracleAgentFactory(),
    ];

    [Test]
    public void Evaluate_IsBitIdenticalForOneAndManyThreads()
    {
        var one = Evaluate(new TestBanditDistribution(3), BanditMethods(), threads: 1);
        var many = Evaluate(new TestBanditDistribution(3), BanditMethods(), threads: 4);
        for (int m = 0; m < one.Methods.Length; m++)
        {
            Assert.That(many.Methods[m].TaskReturns.ToArray(), Is.EqualTo(one.Methods[m].TaskReturns.ToArray()), one.Methods[m].Name);
            Assert.That(many.Methods[m].Mean, Is.EqualTo(one.Methods[m].Mean));
            Assert.That(many.Methods[m].StandardError, Is.EqualTo(one.Methods[m].StandardError));
            Assert.That(many.Methods[m].AdaptationCurve.ToArray(), Is.EqualTo(one.Methods[m].AdaptationCurve.ToArray()));
        }
    }

    [Test]
    public void Evaluate_BaselineOnTaskWritingNaNObservation_FailsNamingTheTaskActionAndElement()
    {
        // Tasks are sampled in index order with one thread: the third sample is task FirstTaskIndex + 2 = 9.
        var distribution = new FaultyDistribution(TaskFault.ObservationValue, faultStep: 3, faultySample: 2);
        var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = 5, InteractionBudget = 10, FirstTaskIndex = 7, MaxDegreeOfParallelism = 1 });
        string message = FaultMessages.Of(() => evaluator.Evaluate(distribution, [new RandomAgentFactory()]));
        Assert.That(message, Does.Match(@"Task 9 \(FaultyTask\) wrote a non-finite observation in Step\(action [01]\): element 1 of its 2-element observation is NaN\."));
    }

    [Test]
    public void Evaluate_TaskWritingPastItsObservation_FailsNamingTheTaskAndSize()
    {
        var distribution = new FaultyDistribution(TaskFault.ObservationOverrun, faultStep: 0, faultySample: 1);
        var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = 3, InteractionBudget = 10, MaxDegreeOfParallelism = 1 });
        string message = FaultMessages.Of(() => evaluator.Evaluate(distribution, [new RandomAgentFactory()]));
        Assert.That(message, Does.Contain("Task 1 (FaultyTask) indexed out of range in Reset at the start of the meta-episode. The observation span it was given has 2 elements"));
    }

    [Test]
    public void Evaluate_EveryMethodSeesTheSameTestTasksAndStreams()
    {
        var distribution = new TestBanditDistribution(3);
        var report = Evaluate(distribution, [new RandomAgentFactory("random-a"), new RandomAgentFactory("random-b"), new TaskOracleAgentFactory()], threads: 2, seed: 17);

        // Same task, same task stream, same agent stream: two copies of the same method agree task by task.
        Assert.That(report["random-a"].TaskReturns.ToArray(), Is.EqualTo(report["random-b"].TaskReturns.ToArray()));
        var difference = report.Compare("random-a", "random-b");
        Assert.That(difference.MeanDifference, Is.EqualTo(0.0));
        Assert.That(difference.StandardError, Is.EqualTo(0.0));

        // Each test task was sampled once per method from its test-split seed, and no other task was.
        var expected = Enumerable.Range(0, 30).Select(i => new RandomSource(TaskSampler.GetTaskSeed(17, TaskSplit.Test, i)).GetState()).ToHashSet();
        var probe = new RandomSource(TaskOracleAgentFactory.ProbeSeed).GetState(); // the oracle's capability check
        var sampled = distribution.SampledFrom.Where(s => s != probe).ToList();
        Assert.That(sampled, Has.Count.EqualTo(90));
        Assert.That(sampled.ToHashSet(), Is.EquivalentTo(expected));
        Assert.That(report.Split, Is.EqualTo("Test"));
    }

    [Test]
    public void Evaluate_ReportsMeanStandardErrorPairedDifferencesAndCurve()
    {
        var report = Evaluate(new TestBanditDistribution(3), BanditMethods(), threads: 2);
        var oracle = report["oracle"];
        var returns = oracle.TaskReturns.ToArray();
        double mean = returns.Average();
        double sd = Math.Sqrt(returns.Sum(x => (x - mean) * (x - mean)) / (returns.Length - 1));
        Assert.That(oracle.Mean, Is.EqualTo(mean).Within(1e-12));
        Assert.That(oracle.StandardError, Is.EqualTo(sd / Math.Sqrt(returns.Length)).Within(1e-12));

        var d = report.Compare("oracle", "random");
        var diffs = returns.Zip(report["random"].TaskReturns, (a, b) => a - b).ToArray();
        Assert.That(d.MeanDifference, Is.EqualTo(diffs.Average()).Within(1e-12));
        Assert.That(report.CompareAll("random"), Has.Length.EqualTo(5));

        // Bandits: one step per task episode, so the curve has H points over all M tasks and sums to the mean return.
        Assert.That(oracle.AdaptationCurve, Has.Length.EqualTo(20));
        Assert.That(oracle.AdaptationCurve.All(p => p.TaskCount == 30), Is.True);
        Assert.That(oracle.AdaptationCurve.Sum(p => p.MeanReturn), Is.EqualTo(oracle.Mean).Within(1e-9));
        Assert.That(report["oracle"].Mean, Is.GreaterThan(report["random"].Mean));
    }

    [Test]
    public void Evaluate_BadInput_ThrowsNamingParameter()
    {
        Assert.That(() => new MetaEvaluator(new EvaluationOptions { TaskCount = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("TaskCount"));
        Assert.That(() => new MetaEvaluator(new EvaluationOptions { InteractionBudget = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("InteractionBudget"));
        Assert.That(() => new MetaEvaluator(new EvaluationOptions { MaxDegreeOfParallelism = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxDegreeOfParallelism"));
        var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = 2, InteractionBudget = 5 });
        Assert.That(() => evaluator.Evaluate(new TestBanditDistribution(), []), Throws.ArgumentException.With.Property("ParamName").EqualTo("methods"));
        Assert.That(() => evaluator.Evaluate(new TestBanditDistribution(), [new RandomAgentFactory(), new RandomAgentFactory()]), Throws.ArgumentException.With.Message.Contains("distinct"));
        Assert.That(() => evaluator.Evaluate(new SwitchMdpDistribution(3), [new Ucb1AgentFactory()]), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution"));
        Assert.That(() => evaluator.Evaluate(null!, [new RandomAgentFactory()]), Throws.ArgumentNullException);
    }

    private static EvaluationReport Evaluate(ITaskDistribution distribution, IReadOnlyList<IMetaAgentFactory> methods, int threads, ulong seed = 3) =>
        new MetaEvaluator(new EvaluationOptions { TaskCount = 30, InteractionBudget = 20, Seed = seed, MaxDegreeOfParallelism = threads }).Evaluate(distribution, methods);
}
