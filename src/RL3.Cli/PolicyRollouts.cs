using System.Collections.Immutable;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Cli;

/// <summary>Where a grid-world agent went during one evaluation meta-episode.</summary>
/// <param name="TaskIndex">The held-out task's index.</param>
/// <param name="Rows">Grid rows.</param>
/// <param name="Columns">Grid columns.</param>
/// <param name="Tiles">The tiles, row-major (see <see cref="GridWorldTiles"/>).</param>
/// <param name="Visits">Visits per cell (the start of every task episode and every state reached), row-major.</param>
/// <param name="Return">The meta-episode's return.</param>
internal sealed record GridVisits(long TaskIndex, int Rows, int Columns, string Tiles, int[] Visits, double Return);

/// <summary>A policy's held-out result with what the report shows beyond the mean.</summary>
internal sealed record PolicyEvaluation(MethodResult Result, IReadOnlyList<GridVisits> Visits);

/// <summary>
/// Batched evaluation of a meta-policy on held-out tasks, task for task the same tasks and task streams as
/// <see cref="RL3.Core.Training.PolicyEvaluator"/> and <see cref="MetaEvaluator"/> (so results pair with the baselines),
/// additionally recording the adaptation curve (families with a task horizon) and grid-world visits of the first tasks.
/// </summary>
internal static class PolicyRollouts
{
    public static PolicyEvaluation Evaluate(
        IMetaPolicy policy,
        MetaEnvironmentSpec environment,
        int taskCount,
        ulong seed,
        string name,
        ActionSelection selection = ActionSelection.Greedy,
        int visitEpisodes = 3,
        int slots = 64)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        int h = environment.InteractionBudget;
        var distribution = environment.Distribution;
        bool curves = distribution.TaskHorizon > 0;
        int n = Math.Min(slots, taskCount);
        var batch = new MetaEnvironmentBatch(n, _ => environment.Create(), seed);
        var state = policy.CreateState(n);
        var actions = new int[n];
        var logProbabilities = new float[n];
        var values = new float[n];
        var returns = new double[taskCount];
        var episodeReturns = curves ? new double[taskCount][] : [];
        var episodeCounts = new int[taskCount];
        var actRandom = RandomSource.Derive(seed, 0xE7A1);
        var visits = new List<GridVisits>();
        var slotVisits = new int[n][];
        var episodeSum = new double[n];
        var previous = new int[n];

        for (int first = 0; first < taskCount; first += n)
        {
            int active = Math.Min(n, taskCount - first);
            for (int slot = 0; slot < n; slot++)
            {
                long index = first + (slot < active ? slot : 0);
                ulong taskSeed = TaskSampler.GetTaskSeed(seed, TaskSplit.Test, index);
                var task = distribution.Sample(new RandomSource(taskSeed));
                batch.Reset(slot, task, RandomSource.Derive(taskSeed, 1), index);
                slotVisits[slot] = null!;
                if (slot < active && first + slot < visitEpisodes && task is GridWorldTask grid)
                {
                    slotVisits[slot] = new int[grid.Rows * grid.Columns];
                    slotVisits[slot][grid.CurrentMdpState]++;
                }

                if (curves && slot < active)
                {
                    episodeReturns[first + slot] = new double[h];
                }
            }

            Array.Clear(episodeSum);
            state.ResetAll();
            var waveReturns = new double[n];
            for (int t = 0; t < h; t++)
            {
                policy.Act(state, batch.Observations, selection, actRandom, actions, logProbabilities, values);
                for (int slot = 0; slot < active; slot++)
                {
                    previous[slot] = slotVisits[slot] is not null && batch[slot].CurrentTask is GridWorldTask before ? before.CurrentMdpState : -1;
                }

                batch.Step(actions);
                var rewards = batch.Rewards;
                var taskEnded = batch.TaskEpisodeEnded;
                var metaEnded = batch.MetaEpisodeEnded;
                for (int slot = 0; slot < active; slot++)
                {
                    waveReturns[slot] += rewards[slot];
                    if (slotVisits[slot] is { } cells && batch[slot].CurrentTask is GridWorldTask g)
                    {
                        // After an episode-ending step the task is already back at its start: recover the absorbing cell reached.
                        cells[taskEnded[slot] ? AbsorbingSuccessor(g, previous[slot], actions[slot], rewards[slot]) : g.CurrentMdpState]++;
                    }

                    if (curves)
                    {
                        episodeSum[slot] += rewards[slot];
                        if (taskEnded[slot] || metaEnded[slot])
                        {
                            int i = first + slot;
                            episodeReturns[i][episodeCounts[i]++] = episodeSum[slot];
                            episodeSum[slot] = 0;
                        }
                    }
                }
            }

            for (int slot = 0; slot < active; slot++)
            {
                returns[first + slot] = waveReturns[slot];
                if (slotVisits[slot] is { } cells && batch[slot].CurrentTask is GridWorldTask g)
                {
                    visits.Add(new GridVisits(first + slot, g.Rows, g.Columns, Tiles(g), cells, waveReturns[slot]));
                }
            }
        }

        var (mean, se) = MeanAndStandardError(returns);
        var curve = curves ? Curve(episodeReturns, episodeCounts) : [];
        return new PolicyEvaluation(new MethodResult(name, mean, se, ImmutableArray.Create(returns), curve), visits);
    }

    internal static (double Mean, double StandardError) MeanAndStandardError(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        if (values.Length < 2)
        {
            return (mean, double.NaN);
        }

        double ss = 0;
        foreach (double v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(ss / (values.Length - 1) / values.Length));
    }

    private static ImmutableArray<AdaptationPoint> Curve(double[][] episodeReturns, int[] episodeCounts)
    {
        int max = episodeCounts.Length == 0 ? 0 : episodeCounts.Max();
        var builder = ImmutableArray.CreateBuilder<AdaptationPoint>(max);
        var values = new double[episodeReturns.Length];
        for (int j = 0; j < max; j++)
        {
            int count = 0;
            for (int i = 0; i < episodeReturns.Length; i++)
            {
                if (episodeCounts[i] > j)
                {
                    values[count++] = episodeReturns[i][j];
                }
            }

            var (mean, se) = MeanAndStandardError(values.AsSpan(0, count));
            builder.Add(new AdaptationPoint(j, mean, se, count));
        }

        return builder.ToImmutable();
    }

    private static int AbsorbingSuccessor(GridWorldTask grid, int state, int action, double reward)
    {
        var probabilities = new double[grid.MdpStateCount];
        grid.GetTransitionProbabilities(state, action, probabilities);
        int fallback = grid.CurrentMdpState;
        for (int next = 0; next < probabilities.Length; next++)
        {
            if (probabilities[next] > 0 && grid.IsAbsorbing(next))
            {
                fallback = next;
                if (grid.ExpectedReward(state, action, next) == reward)
                {
                    return next;
                }
            }
        }

        return fallback;
    }

    private static string Tiles(GridWorldTask grid)
    {
        var chars = new char[grid.Rows * grid.Columns];
        for (int r = 0; r < grid.Rows; r++)
        {
            for (int c = 0; c < grid.Columns; c++)
            {
                chars[(r * grid.Columns) + c] = grid.GetTile(r, c);
            }
        }

        return new string(chars);
    }
}
