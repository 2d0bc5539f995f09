namespace RL3.Core.Orleans.Grains;

/// <summary>The worker grain of a silo (see <see cref="IShardWorkerGrain"/>).</summary>
[WorkerSiloPlacement]
internal sealed class ShardWorkerGrain(ILocalSiloDetails silo) : Grain, IShardWorkerGrain
{
    public Task<WorkerDescription> Describe() =>
        Task.FromResult(new WorkerDescription(silo.SiloAddress.ToParsableString(), Environment.MachineName, Environment.ProcessorCount, Environment.ProcessId));
}
