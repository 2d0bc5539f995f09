using System.Collections.Immutable;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Training;

/// <summary>
/// Evaluates a meta-policy on held-out tasks, many meta-episodes at once through one batch of slots. Task i and its
/// random stream are the ones <see cref="MetaEvaluator"/> uses for the same seed and split, so results are paired
/// with the classical baselines' task by task.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Runs one meta-episode of H steps on each of <paramref name="taskCount"/> tasks of a split.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="environment">The meta-environment recipe (RL² or RL³ inputs, H).</param>
    /// <param name="taskCount">Number of tasks M (≥ 1).</param>
    /// <param name="seed">The evaluation seed (as <see cref="EvaluationOptions.Seed"/>).</param>
    /// <param name="selection">Greedy or sampled actions.</param>
    /// <param name="split">Test (held-out) or Training tasks.</param>
    /// <param name="slots">Meta-episodes run at once (≥ 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads for the environment steps; −1 for all cores.</param>
    /// <param name="name">The method name in the result.</param>
    /// <returns>Mean ± standard error and the per-task returns.</returns>
    public static MethodResult Evaluate(
        IMetaPolicy policy,
        MetaEnvironmentSpec environment,
        int taskCount,
        ulong seed,
        ActionSelection selection = ActionSelection.Greedy,
        TaskSplit split = TaskSplit.Test,
        int slots = 64,
        int maxDegreeOfParallelism = -1,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        if (policy.ObservationSize != environment.ObservationSize)
        {
            throw new ArgumentException($"policy.ObservationSize ({policy.ObservationSize}) must equal the environment's ({environment.ObservationSize}).", nameof(policy));
        }

        int h = environment.InteractionBudget;
        if (policy.MaxSequenceLength < h)
        {
            throw new ArgumentException($"policy.MaxSequenceLength ({policy.MaxSequenceLength}) must be at least H = {h}.", nameof(policy));
        }

        int n = Math.Min(slots, taskCount);
        var batch = new MetaEnvironmentBatch(n, _ => environment.Create(), seed, maxDegreeOfParallelism);
        var state = policy.CreateState(n);
        var actions = new int[n];
        var logProbabilities = new float[n];
        var values = new float[n];
        var returns = new double[taskCount];
        var distribution = environment.Distribution;
        var actRandom = RandomSource.Derive(seed, 0xE7A1);

        for (int first = 0; first < taskCount; first += n)
        {
            int active = Math.Min(n, taskCount - first);
            for (int slot = 0; slot < n; slot++)
            {
                // Slots beyond the last task replay the wave's first task; their returns are ignored.
                long index = first + (slot < active ? slot : 0);
                ulong taskSeed = TaskSampler.GetTaskSeed(seed, split, index);
                var task = distribution.Sample(new RandomSource(taskSeed));
                batch.Reset(slot, task, RandomSource.Derive(taskSeed, 1), index);
            }

            state.ResetAll();
            var waveReturns = new double[n];
            for (int t = 0; t < h; t++)
            {
                policy.Act(state, batch.Observations, selection, actRandom, actions, logProbabilities, values);
                batch.Step(actions);
                var rewards = batch.Rewards;
                for (int slot = 0; slot < n; slot++)
                {
                    waveReturns[slot] += rewards[slot];
                }
            }

            for (int slot = 0; slot < active; slot++)
            {
                returns[first + slot] = waveReturns[slot];
            }
        }

        var (mean, standardError) = Statistics.MeanAndStandardError(returns);
        return new MethodResult(name ?? environment.Name, mean, standardError, ImmutableArray.Create(returns), []);
    }
}
