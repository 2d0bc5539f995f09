using RL3.Core.Orleans.Messages;

namespace RL3.Core.Orleans.Grains;

/// <summary>
/// The worker of one silo (its key is the silo's address, <see cref="WorkerSiloPlacement"/>): computes the shards the
/// learner gives it on its <see cref="RL3.Core.Training.Shards.ShardWorker"/> and keeps their rollouts in memory for the
/// iteration; only weights and gradients cross the network.
/// </summary>
internal interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>Who the worker is: its silo, machine and cores.</summary>
    Task<WorkerDescription> Describe();

    /// <summary>Collects (or rebuilds) the rollouts of the call's shards for <paramref name="run"/>, replacing any other run's worker.</summary>
    Task<RolloutReply[]> CollectRollouts(RunDescription run, RolloutCall call);

    /// <summary>The partial gradients of one minibatch of the call's shards (their rollouts must be held).</summary>
    Task<GradientReply[]> ComputeGradients(string runId, GradientCall call);

    /// <summary>The exact-KL sums of the call's shards at the call's weights.</summary>
    Task<KlReply[]> ComputeKl(string runId, KlCall call);
}

/// <summary>A worker's silo, machine name and processor count.</summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerDescription([property: Id(0)] string Silo, [property: Id(1)] string Machine, [property: Id(2)] int ProcessorCount, [property: Id(3)] int ProcessId);
