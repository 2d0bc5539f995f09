using RL3.Core.Orleans.Hosting;
using RL3.Core.Orleans.Messages;
using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Grains;

/// <summary>The worker grain of a silo (see <see cref="IShardWorkerGrain"/>): one <see cref="ShardWorker"/> per run.</summary>
/// <remarks>
/// The grain is not reentrant, so calls run one at a time. The computation runs on a thread of its own, not on the thread
/// pool: it uses every core through the policy's and environments' fork-join over the pool, and a pool thread waiting on
/// that fork-join starves it (measured: the GRU's gradients three times slower on 2 cores); no Orleans turn is blocked.
/// </remarks>
[WorkerSiloPlacement]
[CollectionAgeLimit(Days = 1)]
internal sealed class ShardWorkerGrain(ILocalSiloDetails silo, IShardWorkerFactory factory) : Grain, IShardWorkerGrain
{
    private string? _runId;
    private ShardWorkerReplica? _replica;

    public Task<WorkerDescription> Describe() =>
        Task.FromResult(new WorkerDescription(silo.SiloAddress.ToParsableString(), Environment.MachineName, Environment.ProcessorCount, Environment.ProcessId));

    public async Task<RolloutReply[]> CollectRollouts(RunDescription run, RolloutCall call)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(call);
        if (_replica is null || _runId != run.RunId)
        {
            _replica?.Dispose();
            _replica = null;
            _runId = null;
            _replica = await Compute(() => factory.Create(run.Specification));
            _runId = run.RunId;
        }

        var worker = _replica.Worker;
        float[] parameters = call.Parameters.Values.ToArray();
        return await Compute(() => call.Shards.Select(part => ShardWire.ToReply(worker.CollectRollout(ShardWire.ToRequest(call.Iteration, parameters, part)))).ToArray());
    }

    public async Task<GradientReply[]> ComputeGradients(string runId, GradientCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var worker = WorkerOf(runId);
        float[] parameters = call.Parameters.Values.ToArray();
        return await Compute(() => Held(() => call.Shards.Select(part => ShardWire.ToReply(worker.ComputeGradient(ShardWire.ToRequest(call, parameters, part)))).ToArray()));
    }

    public async Task<KlReply[]> ComputeKl(string runId, KlCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var worker = WorkerOf(runId);
        float[] parameters = call.Parameters.Values.ToArray();
        return await Compute(() => Held(() => call.Shards.Select(shard => ShardWire.ToReply(worker.ComputeKl(ShardWire.ToRequest(call.Iteration, parameters, shard)))).ToArray()));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _replica?.Dispose();
        _replica = null;
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    private ShardWorker WorkerOf(string runId) =>
        _replica is not null && _runId == runId
            ? _replica.Worker
            : throw new WorkerStateLostException($"worker {silo.SiloAddress} holds no shard of run {runId}; send the iteration's rollout requests first.");

    private static Task<T> Compute<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static T Held<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (ShardRolloutMissingException ex)
        {
            throw new WorkerStateLostException(ex.Message);
        }
    }
}
