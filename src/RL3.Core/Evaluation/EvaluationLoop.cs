using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// The one evaluation loop: plays M tasks, one meta-episode of H steps each, in waves of meta-episodes stepped in
/// lockstep through a <see cref="MetaEnvironmentBatch"/>. <see cref="MetaEvaluator"/> (the baselines, and policies
/// through <see cref="PolicyAgentFactory"/>), <c>Training.PolicyEvaluator</c> (the trainer's periodic evaluation)
/// and the <c>rl3</c> tool all evaluate through it.
/// </summary>
/// <remarks>
/// <para>
/// Task i has the seed <c>taskSeed(firstTaskIndex + i)</c> and is named by that split index in fault messages: its parameters come from <c>new RandomSource(seed)</c>, its dynamics from
/// <c>RandomSource.Derive(seed, 1)</c> and a per-task agent's choices from <c>RandomSource.Derive(seed, 2)</c>
/// (<see cref="TaskAgentStream"/>). A batched policy draws its sampled actions for the whole batch from one stream,
/// <c>RandomSource.Derive(evaluationSeed, </c><see cref="PolicyActionStream"/><c>)</c>, in slot order.
/// </para>
/// <para>
/// Per step: the player chooses every slot's action, the batch steps every slot (in parallel), the player observes,
/// then the recorders see each task's step in task order. Every slot is independent, so results are bit-identical
/// for every thread count.
/// </para>
/// </remarks>
internal static class EvaluationLoop
{
    /// <summary>The stream id, under the evaluation seed, of a batched policy's action sampling.</summary>
    public const ulong PolicyActionStream = 0xE7A1;

    /// <summary>The stream id, under a task's seed, of its dynamics.</summary>
    public const ulong TaskDynamicsStream = 1;

    /// <summary>The stream id, under a task's seed, of a per-task agent's choices.</summary>
    public const ulong TaskAgentStream = 2;

    /// <summary>Meta-episodes per wave when the caller does not choose.</summary>
    public const int DefaultSlots = 64;

    /// <summary>Plays <paramref name="taskCount"/> tasks and returns each task's meta-episode return, in task order.</summary>
    /// <param name="distribution">The family the tasks are drawn from.</param>
    /// <param name="createEnvironment">Creates one slot's meta-environment (called once per slot).</param>
    /// <param name="player">Chooses the actions.</param>
    /// <param name="taskCount">M (≥ 1).</param>
    /// <param name="firstTaskIndex">The split index of the first task (task i is the split's task firstTaskIndex + i).</param>
    /// <param name="taskSeed">The seed of the task with a given split index.</param>
    /// <param name="slots">Meta-episodes per wave (≥ 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads; −1 for all cores.</param>
    /// <param name="recorders">Recorders to call (may be empty).</param>
    /// <returns>The returns.</returns>
    public static double[] Run(
        ITaskDistribution distribution,
        Func<MetaEnvironment> createEnvironment,
        IEvaluationPlayer player,
        int taskCount,
        long firstTaskIndex,
        Func<long, ulong> taskSeed,
        int slots,
        int maxDegreeOfParallelism,
        IReadOnlyList<IEvaluationRecorder> recorders)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(createEnvironment);
        ArgumentNullException.ThrowIfNull(player);
        ArgumentNullException.ThrowIfNull(taskSeed);
        ArgumentNullException.ThrowIfNull(recorders);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);

        int n = Math.Min(slots, taskCount);
        var batch = new MetaEnvironmentBatch(n, _ => createEnvironment(), taskSeed(firstTaskIndex), maxDegreeOfParallelism);
        MetaEnvironmentBatch? lastWave = null;
        int h = batch.InteractionBudget;
        var returns = new double[taskCount];
        var waveReturns = new double[n];
        int[] actions = new int[n];
        foreach (var recorder in recorders)
        {
            recorder.OnStart(taskCount, h);
        }

        for (int first = 0; first < taskCount; first += n)
        {
            int active = Math.Min(n, taskCount - first);
            var wave = batch;
            if (active < n && !player.PadsPartialWaves)
            {
                // A per-task player plays only the remaining tasks: a smaller batch for the last wave.
                wave = lastWave = new MetaEnvironmentBatch(active, _ => createEnvironment(), taskSeed(firstTaskIndex), maxDegreeOfParallelism);
                actions = new int[active];
            }

            int width = wave.SlotCount;
            player.BeginWave(wave);
            for (int slot = 0; slot < width; slot++)
            {
                // A padded slot beyond the last task replays the wave's first task; its return is ignored.
                long index = firstTaskIndex + first + (slot < active ? slot : 0);
                ulong seed = taskSeed(index);
                var task = distribution.Sample(new RandomSource(seed));
                wave.Reset(slot, task, RandomSource.Derive(seed, TaskDynamicsStream), index);
                player.BeginMetaEpisode(slot, RandomSource.Derive(seed, TaskAgentStream));
            }

            for (int slot = 0; slot < active; slot++)
            {
                waveReturns[slot] = 0;
                foreach (var recorder in recorders)
                {
                    recorder.OnMetaEpisodeStart(first + slot, wave[slot]);
                }
            }

            for (int t = 0; t < h; t++)
            {
                player.Act(actions);
                wave.Step(actions);
                player.Observe(actions);
                var rewards = wave.Rewards;
                for (int slot = 0; slot < active; slot++)
                {
                    waveReturns[slot] += rewards[slot];
                    if (recorders.Count > 0)
                    {
                        var step = wave.StepOf(slot);
                        foreach (var recorder in recorders)
                        {
                            recorder.OnStep(first + slot, wave[slot], actions[slot], step);
                        }
                    }
                }
            }

            for (int slot = 0; slot < active; slot++)
            {
                returns[first + slot] = waveReturns[slot];
                foreach (var recorder in recorders)
                {
                    recorder.OnMetaEpisodeEnd(first + slot, waveReturns[slot]);
                }
            }
        }

        GC.KeepAlive(lastWave);
        return returns;
    }
}
