namespace RL3.Core.Training.Shards;

/// <summary>The single-process executor: runs every shard on one <see cref="ShardWorker"/>, in shard order, on the calling thread.</summary>
internal sealed class InProcessShardExecutor : IShardExecutor
{
    private readonly ShardWorker _worker;

    public InProcessShardExecutor(ShardWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        _worker = worker;
    }

    public int ShardCount => _worker.Layout.ShardCount;

    public ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default) =>
        new(Run(requests, _worker.CollectRollout, cancellationToken));

    public ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default) =>
        new(Run(requests, _worker.ComputeGradient, cancellationToken));

    public ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default) =>
        new(Run(requests, _worker.ComputeKl, cancellationToken));

    private static TResult[] Run<TRequest, TResult>(IReadOnlyList<TRequest> requests, Func<TRequest, TResult> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new TResult[requests.Count];
        for (int s = 0; s < results.Length; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[s] = compute(requests[s]);
        }

        return results;
    }
}
