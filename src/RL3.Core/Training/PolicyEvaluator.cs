using System.Collections.Immutable;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Training;

/// <summary>
/// Evaluates a meta-policy on held-out tasks, many meta-episodes at once through one batch of slots, in the one
/// evaluation loop of <see cref="MetaEvaluator"/>. Task i and its random stream are the ones
/// <see cref="MetaEvaluator"/> uses for the same seed and split, so results are paired with the classical baselines'
/// task by task; <see cref="MetaEvaluator"/> with a <see cref="PolicyAgentFactory"/> gives the same returns.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Runs one meta-episode of H steps on each of <paramref name="taskCount"/> tasks of a split.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="environment">The meta-environment recipe (RL² or RL³ inputs, H).</param>
    /// <param name="taskCount">Number of tasks M (≥ 1).</param>
    /// <param name="seed">The evaluation seed (as <see cref="EvaluationOptions.Seed"/>).</param>
    /// <param name="selection">Greedy or sampled actions (sampled ones from one stream under <paramref name="seed"/>, in slot order).</param>
    /// <param name="split">Test (held-out) or Training tasks.</param>
    /// <param name="slots">Meta-episodes run at once (≥ 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads for the environment steps; −1 for all cores.</param>
    /// <param name="name">The method name in the result.</param>
    /// <param name="recorders">Optional recorders (for example an <see cref="AdaptationCurveRecorder"/>).</param>
    /// <returns>Mean ± standard error and the per-task returns.</returns>
    /// <remarks>A task or policy that throws surfaces as the original exception.</remarks>
    public static MethodResult Evaluate(
        IMetaPolicy policy,
        MetaEnvironmentSpec environment,
        int taskCount,
        ulong seed,
        ActionSelection selection = ActionSelection.Greedy,
        TaskSplit split = TaskSplit.Test,
        int slots = 64,
        int maxDegreeOfParallelism = -1,
        string? name = null,
        IReadOnlyList<IEvaluationRecorder>? recorders = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        PolicyAgentFactory.CheckShapes(policy, environment.ObservationSize, environment.InteractionBudget, nameof(policy));
        if (split is not (TaskSplit.Training or TaskSplit.Test))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Training or Test.");
        }

        var player = new PolicyPlayer(policy, selection, RandomSource.Derive(seed, EvaluationLoop.PolicyActionStream));
        var returns = EvaluationLoop.Run(environment.Distribution, environment.Create, player, taskCount, 0, index => TaskSampler.GetTaskSeed(seed, split, index), slots, maxDegreeOfParallelism, recorders ?? []);
        var (mean, standardError) = Statistics.MeanAndStandardError(returns);
        return new MethodResult(name ?? environment.Name, mean, standardError, ImmutableArray.Create(returns), []);
    }
}
