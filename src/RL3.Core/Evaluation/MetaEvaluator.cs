using System.Collections.Immutable;
using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// Paired evaluation of several methods on the same M tasks: every method plays task i with the same task
/// parameters, the same task random stream (its dynamics) and the same agent random stream, so per-task returns
/// are paired. Tasks run in parallel across cores through the one evaluation loop; results are bit-identical for any
/// thread count. A trained policy takes part through <see cref="PolicyAgentFactory"/>.
/// </summary>
/// <remarks>
/// <para>
/// Task i of the split (i = <see cref="EvaluationOptions.FirstTaskIndex"/> + 0 … M − 1) has the seed
/// <c>TaskSampler.GetTaskSeed(Seed, split, i)</c>: its parameters are drawn from <c>new RandomSource(seed)</c>
/// (exactly <c>TaskSampler.SampleAt(i)</c>), its dynamics from <c>RandomSource.Derive(seed, 1)</c> and the agent's
/// choices from <c>RandomSource.Derive(seed, 2)</c>. For every (task, method) pair the method's factory creates a
/// fresh agent; each of the (at most 64) meta-episodes played at once has its own meta-environment from the factory,
/// reset for every task, so nothing is shared between tasks or threads except the factories. A
/// <see cref="PolicyAgentFactory"/> is played batched, as <c>Training.PolicyEvaluator</c> plays it: all slots in one
/// policy call, sampled actions drawn from <c>RandomSource.Derive(Seed, 0xE7A1)</c> in slot order.
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

        var results = ImmutableArray.CreateBuilder<MethodResult>(methods.Count);
        foreach (var factory in methods)
        {
            results.Add(Play(distribution, factory, taskSeed, []));
        }

        return new EvaluationReport(distribution.Name, splitName, h, _options.TaskCount, _options.Seed, _options.FirstTaskIndex, results.MoveToImmutable());
    }

    /// <summary>
    /// Evaluates one method on M tasks of a split with <paramref name="recorders"/> watching every step (the same
    /// tasks and streams as <see cref="Evaluate(ITaskDistribution, IReadOnlyList{IMetaAgentFactory}, TaskSplit)"/>).
    /// </summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="method">The method.</param>
    /// <param name="split">Test or Training.</param>
    /// <param name="recorders">Recorders (for example grid visit counts); one instance per call.</param>
    /// <returns>The method's result (with its adaptation curve when the options record one).</returns>
    /// <exception cref="ArgumentException">The method does not support the family.</exception>
    public MethodResult EvaluateMethod(ITaskDistribution distribution, IMetaAgentFactory method, TaskSplit split, IReadOnlyList<IEvaluationRecorder> recorders)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(recorders);
        if (split is not (TaskSplit.Training or TaskSplit.Test))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Training or Test.");
        }

        method.EnsureSupports(distribution, _options.InteractionBudget);
        ulong seed = _options.Seed;
        return Play(distribution, method, index => TaskSampler.GetTaskSeed(seed, split, index), recorders);
    }

    private MethodResult Play(ITaskDistribution distribution, IMetaAgentFactory factory, Func<long, ulong> taskSeed, IReadOnlyList<IEvaluationRecorder> recorders)
    {
        int h = _options.InteractionBudget;
        long first = _options.FirstTaskIndex;
        IEvaluationPlayer player = factory is PolicyAgentFactory policy
            ? new PolicyPlayer(policy.Policy, policy.Selection, RandomSource.Derive(_options.Seed, EvaluationLoop.PolicyActionStream))
            : new AgentPlayer(factory, _options.MaxDegreeOfParallelism);
        var curve = _options.RecordAdaptationCurve && distribution.TaskHorizon > 0 ? new AdaptationCurveRecorder() : null;
        var returns = EvaluationLoop.Run(
            distribution,
            () => CreateEnvironment(factory, distribution, h),
            player,
            _options.TaskCount,
            first,
            taskSeed,
            EvaluationLoop.DefaultSlots,
            _options.MaxDegreeOfParallelism,
            curve is null ? recorders : [curve, .. recorders]);
        var (mean, se) = Statistics.MeanAndStandardError(returns);
        return new MethodResult(factory.Name, mean, se, ImmutableArray.Create(returns), curve?.Curve ?? []);
    }

    private static MetaEnvironment CreateEnvironment(IMetaAgentFactory factory, ITaskDistribution distribution, int h)
    {
        var environment = factory.CreateEnvironment(distribution, h);
        if (environment.InteractionBudget != h)
        {
            throw new InvalidOperationException($"Method '{factory.Name}' created an environment with H = {environment.InteractionBudget}; the evaluation uses H = {h}.");
        }

        return environment;
    }
}
