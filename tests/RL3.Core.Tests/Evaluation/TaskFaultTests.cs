using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.Tests.Evaluation;

/// <summary>
/// A task that throws while it is played surfaces as the original exception (type, message, stack) from every
/// evaluation path and for every thread count: never wrapped in an <see cref="AggregateException"/> (issue 16).
/// </summary>
public sealed class TaskFaultTests
{
    private const int H = 6;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(-1)]
    public void MetaEvaluator_TaskThrows_RethrowsTheOriginalException(int threads)
    {
        var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = 40, InteractionBudget = H, MaxDegreeOfParallelism = threads });
        var ex = Assert.Throws<TaskFaultException>(() => evaluator.Evaluate(new FaultyDistribution(), [new RandomAgentFactory()]));
        Assert.That(ex!.Message, Is.EqualTo(FaultyTask.Message));
        Assert.That(ex.StackTrace, Does.Contain(nameof(FaultyTask.Step)), "the original stack trace is kept");
    }

    [TestCase(1)]
    [TestCase(-1)]
    public void PolicyEvaluator_TaskThrows_RethrowsTheOriginalException(int threads)
    {
        var spec = MetaEnvironmentSpec.ForAlgorithm(new FaultyDistribution(), MetaAlgorithm.Rl2, H, new InnerEstimatorOptions { ValueScale = 1 });
        using var policy = new MlpPolicy(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new MlpPolicyOptions { HiddenSize = 8 });
        var ex = Assert.Throws<TaskFaultException>(() => PolicyEvaluator.Evaluate(policy, spec, 40, seed: 1, slots: 8, maxDegreeOfParallelism: threads));
        Assert.That(ex!.Message, Is.EqualTo(FaultyTask.Message));
    }

    private sealed class TaskFaultException(string message) : Exception(message);

    /// <summary>Plays two steps, then throws.</summary>
    private sealed class FaultyTask : ITask
    {
        public const string Message = "the task broke on its third step";
        private int _steps;

        public int ActionCount => 2;
        public int ObservationSize => 2;
        public int StateIndex => 0;

        public void Reset(RandomSource random, Span<float> observation)
        {
            _steps = 0;
            observation.Clear();
        }

        public TaskStep Step(int action, Span<float> observation) =>
            ++_steps > 2 ? throw new TaskFaultException(Message) : new TaskStep(0.5, false, false);

        public string Render() => "faulty";
    }

    private sealed class FaultyDistribution : ITaskDistribution
    {
        public string Name => "test-faulty";
        public int ActionCount => 2;
        public int ObservationSize => 2;
        public int StateCount => 1;
        public int TaskHorizon => 0;
        public ITask Sample(RandomSource random) => new FaultyTask();
    }
}
