using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Benchmarks.Meta;

/// <summary>One RL³ meta-environment on a built-in task, stepping through a fixed random action sequence.</summary>
internal sealed class MetaStepScenario
{
    private readonly MetaEnvironment _environment;
    private readonly ITask _task;
    private readonly RandomSource _taskRandom;
    private readonly int[] _actions;
    private readonly float[] _observation;

    /// <param name="taskName">A catalog task.</param>
    /// <param name="denseBaseline">Dense value iteration from zero instead of the library's estimator.</param>
    /// <param name="wrapEstimator">Optional decorator placed between the environment and the estimator (diagnostics).</param>
    public MetaStepScenario(string taskName, bool denseBaseline, Func<IInnerRLEstimator, IInnerRLEstimator>? wrapEstimator = null)
    {
        var entry = TaskCatalog.Get(taskName);
        var distribution = entry.CreateDistribution();
        int h = entry.InteractionBudget;
        var vi = ModelBasedValueIterationOptions.ForTask(distribution.TaskHorizon, h);
        vi.LaplaceSmoothing = entry.LaplaceSmoothing;
        vi.Epsilon = entry.ValueIterationEpsilon;
        bool discrete = distribution.StateCount > 0;
        int capacity = discrete ? distribution.StateCount : h + 1;
        IInnerRLEstimator estimator = denseBaseline
            ? new DenseValueIterationReference(capacity, distribution.ActionCount, vi)
            : new ModelBasedValueIteration(capacity, distribution.ActionCount, vi);
        IStateIndexer indexer = discrete
            ? new DirectStateIndexer(distribution.StateCount)
            : new ExactMatchStateIndexer(distribution.ObservationSize, capacity);
        Estimator = estimator;
        FixedStateCount = discrete ? distribution.StateCount : 0;
        _environment = new MetaEnvironment(
            distribution,
            new MetaEnvironmentOptions { InteractionBudget = h, ValueScale = entry.ValueScale },
            wrapEstimator is null ? estimator : wrapEstimator(estimator),
            indexer);
        _task = distribution.Sample(new RandomSource(1));
        _taskRandom = new RandomSource(2);
        var actionRandom = new RandomSource(3);
        _actions = new int[h];
        for (int i = 0; i < h; i++)
        {
            _actions[i] = actionRandom.NextInt(distribution.ActionCount);
        }

        _observation = new float[_environment.ObservationSize];
        _environment.Reset(_task, _taskRandom, _observation);
    }

    public MetaEnvironment Environment => _environment;

    /// <summary>The estimator itself (not the decorator).</summary>
    public IInnerRLEstimator Estimator { get; }

    /// <summary>The fixed state count the estimator is reset with (0: rows are discovered).</summary>
    public int FixedStateCount { get; }


    /// <summary>One step (resetting the meta-episode every H steps, so the model grows as in training).</summary>
    public double Step()
    {
        if (_environment.IsDone)
        {
            _taskRandom.SetState(new RandomSource(2).GetState());
            _environment.Reset(_task, _taskRandom, _observation);
        }

        return _environment.Step(_actions[_environment.StepCount], _observation).Reward;
    }
}
