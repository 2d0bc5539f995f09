namespace RL3.Core.Orleans.Learner;

/// <summary>What one iteration cost on the cluster, as the learner saw it.</summary>
/// <param name="Workers">Workers that were given shards at the start of the iteration.</param>
/// <param name="MaxShardsPerWorker">The most shards one worker was given at the start of the iteration.</param>
/// <param name="RolloutSeconds">Rollout computation: per rollout call, the busiest worker's time (shards run one after the other on a worker).</param>
/// <param name="GradientSeconds">Gradient (and exact-KL) computation: per call, the busiest worker's time, summed over the iteration's calls.</param>
/// <param name="CommunicationSeconds">Per call, the learner's wall time less the busiest worker's computation (serialisation, network, waiting), summed.</param>
/// <param name="BytesSent">Payload the learner sent: weights (4 bytes per parameter, once per worker and call) and random-stream states.</param>
/// <param name="BytesReceived">Payload the learner received: gradients (4 bytes per parameter and shard) and random-stream states.</param>
/// <param name="Calls">Calls to workers (each carries the shards of one worker).</param>
/// <param name="ReassignedShards">Shards given to another worker during the iteration (lost worker or straggler).</param>
public sealed record DistributedIterationStatistics(
    int Workers,
    int MaxShardsPerWorker,
    double RolloutSeconds,
    double GradientSeconds,
    double CommunicationSeconds,
    long BytesSent,
    long BytesReceived,
    int Calls,
    int ReassignedShards);
