using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>
/// A TorchSharp policy trained through the shard seam (docs/distributed.md): with <see cref="PpoOptions.Shards"/> = 3,
/// shards computed on separate torch replicas (their own <see cref="ShardWorker"/>, weights only from the requests, as on
/// other machines) give the in-process trainer's bits, under both KL rules. The seam uses only the public surface of
/// <see cref="IMetaPolicy"/> and <see cref="IPolicyOptimizer"/> (flat weight and gradient copies).
/// </summary>
public sealed class TorchShardTrainingTests
{
    private const int H = 6;

    private static TorchSharpOptions OnCpu => new() { Device = "cpu", ThreadCount = 1 };

    private static MetaEnvironmentSpec Spec() => MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);

    private static TorchMlpPolicy Policy(MetaEnvironmentSpec spec, ulong seed) =>
        new(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new MlpPolicyOptions { HiddenSize = 16, HiddenLayers = 2, Seed = seed }, OnCpu);

    private static PpoOptions Options(KlEarlyStop rule) => new()
    {
        BatchSteps = 12 * H,
        MinibatchSequences = 6,
        Epochs = 2,
        Iterations = 2,
        Seed = 11,
        LearningRate = 3e-3,
        KlEarlyStop = rule,
        Shards = 3,
    };

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Train_ThreeShardsOnSeparateTorchReplicas_EqualsInProcessBits(KlEarlyStop rule)
    {
        var spec = Spec();
        var options = Options(rule);
        byte[] inProcess;
        using (var policy = Policy(spec, 7))
        using (var trainer = new PpoTrainer(policy, spec, options))
        {
            byte[] initial = Weights(policy);
            trainer.Train();
            inProcess = Weights(policy);
            Assert.That(inProcess, Is.Not.EqualTo(initial));
        }

        var replicas = Enumerable.Range(0, 3).Select(s => Policy(spec, 100 + (ulong)s)).ToArray();
        var workers = replicas.Select(r => new ShardWorker(r, spec, options)).ToArray();
        try
        {
            using var policy = Policy(spec, 7);
            using var trainer = new PpoTrainer(policy, spec, options, new PerShardExecutor(workers));
            trainer.Train();
            Assert.That(Weights(policy), Is.EqualTo(inProcess));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
    }

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    /// <summary>Shard s on worker s.</summary>
    private sealed class PerShardExecutor(ShardWorker[] workers) : IShardExecutor
    {
        public int ShardCount => workers.Length;

        public ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default) =>
            new(requests.Select((r, s) => workers[s].CollectRollout(r)).ToArray());

        public ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default) =>
            new(requests.Select((r, s) => workers[s].ComputeGradient(r)).ToArray());

        public ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default) =>
            new(requests.Select((r, s) => workers[s].ComputeKl(r)).ToArray());
    }
}
