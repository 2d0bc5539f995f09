using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RL3.Core.Orleans.Hosting;
using RL3.Core.Orleans.Learner;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>
/// The learner side of <c>rl3 train --cluster</c>: an Orleans client of the cluster and the
/// <see cref="OrleansShardExecutor"/> that gives the run's shards to the workers.
/// </summary>
internal sealed class DistributedLearner : IDisposable
{
    private readonly IHost _host;

    private DistributedLearner(IHost host, OrleansShardExecutor executor)
    {
        _host = host;
        Executor = executor;
    }

    public OrleansShardExecutor Executor { get; }

    /// <summary>Connects to the cluster (waiting up to <see cref="DistributedTrainingOptions.WorkerWaitTimeout"/> for a first worker).</summary>
    public static DistributedLearner Connect(RL3ClusterOptions cluster, DistributedTrainingOptions distributed, TrainingPreset preset, string description, CancellationToken cancellationToken)
    {
        var builder = ClusterSettings.HostBuilder();
        var clock = Stopwatch.StartNew();
        builder.UseRL3Learner(o =>
        {
            o.Key = cluster.Key;
            o.Name = cluster.Name;
            o.RedisConnection = cluster.RedisConnection;
            o.TlsCertificate = cluster.TlsCertificate;
            // No worker yet (no gateway in the membership table): try again every second until the wait ends.
            o.ConfigureClient = client => client.UseConnectionRetryFilter(async (_, token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                return clock.Elapsed < distributed.WorkerWaitTimeout;
            });
        });
        var host = builder.Build();
        try
        {
            host.StartAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            throw new CliException($"cannot reach a worker of {description} within {distributed.WorkerWaitTimeout.TotalSeconds:0} s: {Presets.FirstSentence(ex.Message)} (start workers with rl3 worker --cluster {cluster.RedisConnection}, the same key file and cluster name)");
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var client = host.Services.GetRequiredService<IClusterClient>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("rl3.learner");
        return new DistributedLearner(host, new OrleansShardExecutor(client, preset.ToJson(), preset.Ppo.Shards, distributed, logger));
    }

    /// <summary>" | 2 workers × ≤2 shards: rollout 0.41 s, gradient 1.20 s, comm 0.35 s (3.1 MB)" for the progress line.</summary>
    public string Detail()
    {
        var s = Executor.Statistics;
        string moved = s.ReassignedShards > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.ReassignedShards} shard(s) moved") : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $" | {s.Workers} worker{(s.Workers == 1 ? "" : "s")} × ≤{s.MaxShardsPerWorker} shards: rollout {s.RolloutSeconds:0.00} s, gradient {s.GradientSeconds:0.00} s, comm {s.CommunicationSeconds:0.00} s ({(s.BytesSent + s.BytesReceived) / 1e6:0.0} MB){moved}");
    }

    public void Dispose()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            _host.StopAsync(limit.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
    }
}
