namespace RL3.Core.Orleans.Grains;

/// <summary>
/// The worker of one silo (its key is the silo's address, <see cref="WorkerSiloPlacement"/>): computes the shards the
/// learner gives it and keeps their rollouts in memory for the iteration; only weights and gradients cross the network.
/// </summary>
internal interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>Who the worker is: its silo, machine and cores.</summary>
    Task<WorkerDescription> Describe();
}

/// <summary>A worker's silo, machine name and processor count.</summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerDescription([property: Id(0)] string Silo, [property: Id(1)] string Machine, [property: Id(2)] int ProcessorCount, [property: Id(3)] int ProcessId);
