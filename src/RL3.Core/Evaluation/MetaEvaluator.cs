using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// Paired evaluation of several methods on the same M tasks: every method plays task i with the same task
/// parameters, the same task random stream (its dynamics) and the same agent random stream, so per-task returns
/// are paired. Tasks run in parallel across cores; results are bit-identical for any thread count.
/// </summary>
/// <remarks>
/// <para>
/// Task i of the split (i = <see cref="EvaluationOptions.FirstTaskIndex"/> + 0 … M − 1) has the seed
/// <c>TaskSampler.GetTaskSeed(Seed, split, i)</c>: its parameters are drawn from <c>new RandomSource(seed)</c>
/// (exactly <c>TaskSampler.SampleAt(i)</c>), its dynamics from <c>RandomSource.Derive(seed, 1)</c> and the agent's
/// choices from <c>RandomSource.Derive(seed, 2)</c>. For every (task, method) pair the method's factory creates a
/// fresh meta-environment and agent, so nothing is shared between tasks or threads except the factories.
/// </para>
/// <para>Sums run in task order after all tasks finish, so means and standard errors do not depend on scheduling.</para>
/// </remarks>
public sealed class MetaEvaluator
{
    private readonly EvaluationOptions _options;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">M, H, seed and thread count (copied and validated); null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MetaEvaluator(EvaluationOptions? options = null)
    {
        _options = options?.Clone() ?? new EvaluationOptions();
        _options.Validate();
    }

    /// <summary>A copy of the options.</summary>
    public EvaluationOptions Options => _options.Clone();

    /// <summary>Evaluates <paramref name="methods"/> on M held-out test tasks of <paramref name="distribution"/>.</summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="methods">The methods (distinct names).</param>
    /// <returns>The paired report.</returns>
    /// <exception cref="ArgumentException">No methods, duplicate names, or a method that does not support the family.</exception>
    public EvaluationReport Evaluate(ITaskDistribution distribution, IReadOnlyList<IMetaAgentFactory> methods) =>
        Evaluate(distribution, methods, TaskSplit.Test);

    /// <summary>Evaluates <paramref name="methods"/> on M tasks of the given split of <paramref name="distribution"/>.</summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="methods">The methods (distinct names).</param>
    /// <param name="split">The split: <see cref="TaskSplit.Test"/> for reported results, <see cref="TaskSplit.Training"/> for tuning.</param>
    /// <returns>The paired report.</returns>
    /// <exception cref="ArgumentException">No methods, duplicate names, or a method that does not support the family.</exception>
    /// <remarks>
    /// An exception thrown while a task is played (by the task, an agent or a factory) propagates unchanged, with
    /// its original type and stack trace, for every <see cref="EvaluationOptions.MaxDegreeOfParallelism"/>.
    /// </remarks>
    public EvaluationReport Evaluate(ITaskDistribution distribution, IReadOnlyList<IMetaAgentFactory> methods, TaskSplit split)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(methods);
        if (split is not (TaskSplit.Training or TaskSplit.Test))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Training or Test.");
        }

        ulong seed = _options.Seed;
        return Evaluate(distribution, methods, split.ToString(), index => TaskSampler.GetTaskSeed(seed, split, index));
    }

    private EvaluationReport Evaluate(ITaskDistribution distribution, IReadOnlyList<IMetaAgentFactory> methods, string splitName, Func<long, ulong> taskSeed)
    {
        if (methods.Count == 0)
        {
            throw new ArgumentException("methods must contain at least one method.", nameof(methods));
        }

        int h = _options.InteractionBudget;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int m = 0; m < methods.Count; m++)
        {
            var factory = methods[m] ?? throw new ArgumentException($"methods[{m}] is null.", nameof(methods));
            if (!names.Add(factory.Name))
            {
                throw new ArgumentException($"Method names must be distinct; '{factory.Name}' appears twice.", nameof(methods));
            }

            factory.EnsureSupports(distribution, h);
        }

        int taskCount = _options.TaskCount;
        int methodCount = methods.Count;
        bool curves = _options.RecordAdaptationCurve && distribution.TaskHorizon > 0;
        var returns = new double[methodCount][];
        var episodeReturns = new double[methodCount][][];
        var episodeCounts = new int[methodCount][];
        for (int m = 0; m < methodCount; m++)
        {
            returns[m] = new double[taskCount];
            episodeReturns[m] = new double[taskCount][];
            episodeCounts[m] = new int[taskCount];
        }

        long first = _options.FirstTaskIndex;
        void EvaluateTask(int i)
        {
            ulong seed = taskSeed(first + i);
            for (int m = 0; m < methodCount; m++)
            {
                var factory = methods[m];
                var task = distribution.Sample(new RandomSource(seed));
                var environment = factory.CreateEnvironment(distribution, h);
                if (environment.InteractionBudget != h)
                {
                    throw new InvalidOperationException($"Method '{factory.Name}' created an environment with H = {environment.InteractionBudget}; the evaluation uses H = {h}.");
                }

                var agent = factory.CreateAgent();
                var perEpisode = curves ? new double[h] : [];
                returns[m][i] = MetaEpisodeRunner.Run(environment, agent, task, RandomSource.Derive(seed, 1), RandomSource.Derive(seed, 2), perEpisode, out int episodes, first + i);
                episodeReturns[m][i] = perEpisode;
                episodeCounts[m][i] = episodes;
            }
        }

        if (_options.MaxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < taskCount; i++)
            {
                EvaluateTask(i);
            }
        }
        else
        {
            // A fault in a task (a task, agent or factory that throws) surfaces as the original exception, as it does
            // sequentially, in the trainer and in PolicyEvaluator: never wrapped in an AggregateException. When several
            // tasks fail, the one with the lowest index among those that ran is rethrown.
            int failedTask = int.MaxValue;
            ExceptionDispatchInfo? failure = null;
            var gate = new object();
            Parallel.For(0, taskCount, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, (i, loop) =>
            {
                try
                {
                    EvaluateTask(i);
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        if (i < failedTask)
                        {
                            (failedTask, failure) = (i, ExceptionDispatchInfo.Capture(e));
                        }
                    }

                    loop.Stop();
                }
            });
            failure?.Throw();
        }

        var results = ImmutableArray.CreateBuilder<MethodResult>(methodCount);
        for (int m = 0; m < methodCount; m++)
        {
            var (mean, se) = Statistics.MeanAndStandardError(returns[m]);
            var curve = curves ? Curve(episodeReturns[m], episodeCounts[m]) : [];
            results.Add(new MethodResult(methods[m].Name, mean, se, ImmutableArray.Create(returns[m]), curve));
        }

        return new EvaluationReport(distribution.Name, splitName, h, taskCount, _options.Seed, first, results.MoveToImmutable());
    }

    private static ImmutableArray<AdaptationPoint> Curve(double[][] episodeReturns, int[] episodeCounts)
    {
        int maxEpisodes = 0;
        foreach (int count in episodeCounts)
        {
            maxEpisodes = Math.Max(maxEpisodes, count);
        }

        var builder = ImmutableArray.CreateBuilder<AdaptationPoint>(maxEpisodes);
        var values = new double[episodeReturns.Length];
        for (int j = 0; j < maxEpisodes; j++)
        {
            int n = 0;
            for (int i = 0; i < episodeReturns.Length; i++)
            {
                if (episodeCounts[i] > j && j < episodeReturns[i].Length)
                {
                    values[n++] = episodeReturns[i][j];
                }
            }

            var (mean, se) = Statistics.MeanAndStandardError(values.AsSpan(0, n));
            builder.Add(new AdaptationPoint(j, mean, se, n));
        }

        return builder.MoveToImmutable();
    }
}
