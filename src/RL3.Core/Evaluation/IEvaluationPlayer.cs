using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>Chooses the actions of every slot of a wave in <see cref="EvaluationLoop"/>.</summary>
internal interface IEvaluationPlayer
{
    /// <summary>
    /// Whether a last, partial wave keeps every slot (the spare ones replay the wave's first task): true for a batched
    /// policy, whose shared sampling stream is drawn for every slot; false for per-task agents.
    /// </summary>
    bool PadsPartialWaves { get; }

    /// <summary>A wave starts on <paramref name="batch"/> (its slots are reset next).</summary>
    /// <param name="batch">The wave's environments.</param>
    void BeginWave(MetaEnvironmentBatch batch);

    /// <summary>Slot <paramref name="slot"/> was reset on its task.</summary>
    /// <param name="slot">The slot.</param>
    /// <param name="taskAgentRandom">The task's agent stream (per-task agents draw from it).</param>
    void BeginMetaEpisode(int slot, RandomSource taskAgentRandom);

    /// <summary>Writes one action per slot, from the batch's current observations.</summary>
    /// <param name="actions">One per slot.</param>
    void Act(int[] actions);

    /// <summary>Learns from the step just taken (the batch holds its results).</summary>
    /// <param name="actions">The actions taken.</param>
    void Observe(int[] actions);
}
