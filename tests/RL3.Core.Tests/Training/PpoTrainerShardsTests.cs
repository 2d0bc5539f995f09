using RL3.Core.Policies;
using RL3.Core.Training;
using RL3.Core.Training.Shards;
using static RL3.Core.Tests.Training.Shards.ShardTestRun;

namespace RL3.Core.Tests.Training;

/// <summary>
/// The trainer with <see cref="PpoOptions.Shards"/> = S &gt; 1: deterministic in (seed, S), resumable bit for bit, and the
/// same bits when the shards run on separate policy replicas (as on separate machines), even when a worker is lost
/// mid-iteration. (S = 1 is the single-process arithmetic: PpoTrainerTests and CheckpointCompatibilityTests.)
/// </summary>
public sealed class PpoTrainerShardsTests
{
    private static (byte[] Weights, List<double> Metrics) Run(PpoOptions options, int iterations = 3, IShardExecutor? executor = null, ulong policySeed = 7)
    {
        var spec = Spec();
        using var policy = Policy(spec, policySeed);
        using var trainer = new PpoTrainer(policy, spec, options, executor);
        var metrics = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            var result = trainer.RunIteration();
            foreach (string key in new[] { TrainingMetricKeys.ReturnMean, TrainingMetricKeys.ReturnStd, TrainingMetricKeys.PolicyLoss, TrainingMetricKeys.ValueLoss, TrainingMetricKeys.Entropy, TrainingMetricKeys.ApproxKl, TrainingMetricKeys.ClipFraction, TrainingMetricKeys.ExplainedVariance, TrainingMetricKeys.ActorEpochs })
            {
                metrics.Add(result.Get(key));
            }
        }

        return (Weights(policy), metrics);
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Train_ThreeShards_SameSeedSameBits_WhateverTheThreadCount(KlEarlyStop rule)
    {
        var first = Run(Options(3, rule: rule));
        var second = Run(Options(3, rule: rule, threads: 2));
        Assert.That(second.Weights, Is.EqualTo(first.Weights));
        Assert.That(second.Metrics, Is.EqualTo(first.Metrics));
        Assert.That(first.Metrics, Has.All.Matches<double>(double.IsFinite));

        // S is part of the arithmetic: one shard visits other minibatches and acts with other draws.
        Assert.That(Run(Options(1, rule: rule)).Weights, Is.Not.EqualTo(first.Weights));
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Checkpoint_ThreeShards_ResumedRunEqualsUninterruptedRun(KlEarlyStop rule)
    {
        var options = Options(3, rule: rule);
        var uninterrupted = Run(options);
        var spec = Spec();
        string path = Path.Combine(Path.GetTempPath(), $"rl3-shards-{Guid.NewGuid():N}.ckpt");
        try
        {
            using (var policy = Policy(spec, 7))
            using (var trainer = new PpoTrainer(policy, spec, options))
            {
                trainer.RunIteration();
                trainer.SaveCheckpoint(path);
            }

            using (var policy = Policy(spec, 999))
            using (var trainer = new PpoTrainer(policy, spec, options))
            {
                trainer.LoadCheckpoint(path);
                trainer.Train(iterations: 2);
                Assert.That(Weights(policy), Is.EqualTo(uninterrupted.Weights));
            }

            // A checkpoint of S = 3 does not load into a trainer of another S.
            using (var policy = Policy(spec, 7))
            using (var trainer = new PpoTrainer(policy, spec, Options(1, rule: rule)))
            {
                var ex = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(path));
                Assert.That(ex!.Message, Does.Contain("Shards"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Train_ShardsOnSeparateReplicas_EqualInProcessBits_EvenWhenAWorkerIsLost(KlEarlyStop rule)
    {
        var options = Options(3, rule: rule);
        var inProcess = Run(options);

        using var separate = new ReplicaExecutor(options, loseAfterGradientCalls: -1);
        Assert.That(Run(options, executor: separate).Weights, Is.EqualTo(inProcess.Weights));

        // Shard 1's worker dies in the middle of iteration 1 (after 2 of its minibatches): a fresh worker on a fresh
        // replica rebuilds the shard from the iteration's rollout request and the run continues with the same bits.
        using var lossy = new ReplicaExecutor(options, loseAfterGradientCalls: 3 * 3 + 2);
        var recovered = Run(options, executor: lossy);
        Assert.That(lossy.Replays, Is.EqualTo(1));
        Assert.That(recovered.Weights, Is.EqualTo(inProcess.Weights));
        Assert.That(recovered.Metrics, Is.EqualTo(inProcess.Metrics));
    }

    [TestCase(0, typeof(ArgumentOutOfRangeException), "Shards must be at least 1")]
    [TestCase(16, typeof(ArgumentOutOfRangeException), "[1, N = 15]")]
    [TestCase(2, typeof(ArgumentException), "shard counts that fit: 1, 3")]
    [TestCase(5, typeof(ArgumentException), "must divide both")]
    public void Constructor_BadShards_ThrowNamingShards(int shards, Type exception, string message)
    {
        var spec = Spec();
        using var policy = Policy(spec, 7);
        var ex = Assert.Throws(exception, () => new PpoTrainer(policy, spec, Options(shards)).Dispose());
        Assert.That(((ArgumentException)ex!).ParamName, Is.EqualTo(nameof(PpoOptions.Shards)));
        Assert.That(ex.Message, Does.Contain(message));
    }

    [Test]
    public void Constructor_ExecutorForAnotherShardCount_Throws()
    {
        var spec = Spec();
        using var policy = Policy(spec, 7);
        using var executor = new ReplicaExecutor(Options(3), loseAfterGradientCalls: -1);
        var ex = Assert.Throws<ArgumentException>(() => new PpoTrainer(policy, spec, Options(1), executor).Dispose());
        Assert.That(ex!.ParamName, Is.EqualTo("shardExecutor"));
    }

    /// <summary>
    /// One <see cref="ShardWorker"/> per shard, each on its own policy replica (initial weights unlike the learner's: the
    /// weights come with the requests), as a distributed executor would run them. Optionally loses shard 1's worker after
    /// a number of gradient calls and recovers the way a distributed executor does: a fresh worker, the shard's rollout
    /// request of the iteration replayed, the call retried.
    /// </summary>
    private sealed class ReplicaExecutor : IShardExecutor, IDisposable
    {
        private readonly PpoOptions _options;
        private readonly ShardWorker[] _workers;
        private readonly IMetaPolicy[] _replicas;
        private readonly ShardRolloutRequest[] _rolloutRequests;
        private int _loseAfter;

        public ReplicaExecutor(PpoOptions options, int loseAfterGradientCalls)
        {
            _options = options;
            _loseAfter = loseAfterGradientCalls;
            _workers = new ShardWorker[options.Shards];
            _replicas = new IMetaPolicy[options.Shards];
            _rolloutRequests = new ShardRolloutRequest[options.Shards];
            for (int s = 0; s < options.Shards; s++)
            {
                StartWorker(s, seed: 100 + (ulong)s);
            }
        }

        public int ShardCount => _options.Shards;

        public int Replays { get; private set; }

        public ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default)
        {
            var results = new ShardRolloutResult[requests.Count];
            for (int s = 0; s < results.Length; s++)
            {
                // Keep a copy of the request: the learner reuses its weight buffer.
                var r = requests[s];
                _rolloutRequests[s] = new ShardRolloutRequest
                {
                    Iteration = r.Iteration, Shard = r.Shard, ShardCount = r.ShardCount, TaskPosition = r.TaskPosition,
                    Parameters = (float[])r.Parameters.Clone(), SlotRandomStates = (ulong[])r.SlotRandomStates.Clone(),
                    ActingRandomState = (ulong[])r.ActingRandomState.Clone(), ShuffleRandomState = (ulong[])r.ShuffleRandomState.Clone(),
                };
                results[s] = _workers[s].CollectRollout(_rolloutRequests[s]);
            }

            return new(results);
        }

        public ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default)
        {
            if (_loseAfter-- == 0)
            {
                _workers[1].Dispose();
                _replicas[1].Dispose();
                StartWorker(1, seed: 555);
            }

            var results = new ShardGradientResult[requests.Count];
            for (int s = 0; s < results.Length; s++)
            {
                results[s] = Retry(s, () => _workers[s].ComputeGradient(requests[s]));
            }

            return new(results);
        }

        public ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default)
        {
            var results = new ShardKlResult[requests.Count];
            for (int s = 0; s < results.Length; s++)
            {
                results[s] = Retry(s, () => _workers[s].ComputeKl(requests[s]));
            }

            return new(results);
        }

        public void Dispose()
        {
            for (int s = 0; s < _workers.Length; s++)
            {
                _workers[s].Dispose();
                _replicas[s].Dispose();
            }
        }

        private T Retry<T>(int shard, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (ShardRolloutMissingException ex) when (ex.Shard == shard)
            {
                Replays++;
                _workers[shard].CollectRollout(_rolloutRequests[shard]);
                return call();
            }
        }

        private void StartWorker(int shard, ulong seed)
        {
            var spec = Spec();
            _replicas[shard] = Policy(spec, seed);
            _workers[shard] = new ShardWorker(_replicas[shard], spec, _options);
        }
    }
}
