using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;
using RL3.Core.Orleans.Hosting;
using RL3.Core.Orleans.Learner;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Tests.Learner;

/// <summary>
/// The same run with S = 3 shards in one process and on a TestingHost cluster of silos: bit-identical checkpoints,
/// undisturbed, with a silo killed in the middle of an iteration, with a straggler, and with a silo joining mid-run.
/// </summary>
public sealed class OrleansShardExecutorTests
{
    private const int Shards = 3;
    private const int Iterations = 3;

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rl3-orleans-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tiny bandit run: N = 12 slots of H = 10 steps, minibatches of 6 sequences, S = 3.</summary>
    internal static TrainingPreset TinyPreset()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("ppo.batchSteps", "120");
        preset.Set("ppo.minibatchSequences", "6");
        preset.Set("ppo.shards", Shards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        preset.Set("ppo.iterations", Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return preset;
    }

    [Test]
    public async Task Train_ThreeSilos_MatchesOneProcessBitForBit()
    {
        var preset = TinyPreset();
        byte[] expected = TrainInProcess(preset);
        await using var cluster = await Deploy(3);
        var executor = new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards);
        byte[] actual = Train(preset, executor);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected), "checkpoint after training");
            Assert.That(executor.Statistics.Workers, Is.EqualTo(3));
            Assert.That(executor.Statistics.MaxShardsPerWorker, Is.EqualTo(1));
            Assert.That(executor.Assignment.Distinct().Count(), Is.EqualTo(3), "one shard per silo");
            Assert.That(executor.Statistics.ReassignedShards, Is.Zero);
        });
    }

    [Test]
    public async Task Train_SiloKilledMidIteration_MatchesOneProcessBitForBit()
    {
        var preset = TinyPreset();
        byte[] expected = TrainInProcess(preset);
        await using var cluster = await Deploy(3);
        var executor = new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards, new DistributedTrainingOptions { MembershipPollInterval = TimeSpan.FromMilliseconds(200) });
        int reassigned = 0;
        string victim = "";
        var killing = new KillMidIteration(executor, iteration: 1, () =>
        {
            // A secondary silo (the primary holds the test cluster's membership) dies after the iteration's rollouts and
            // first minibatch step: its shard's rollout is lost with it and is rebuilt from the iteration-start weights.
            string primary = cluster.Primary!.SiloAddress.ToParsableString();
            victim = executor.Assignment.First(w => w != primary)!;
            var host = cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == victim);
            cluster.KillSiloAsync(host).GetAwaiter().GetResult();
        }, onIterationEnd: () => reassigned += executor.Statistics.ReassignedShards);
        byte[] actual = Train(preset, killing);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected), "checkpoint after training");
            Assert.That(killing.Killed, Is.True);
            Assert.That(reassigned, Is.GreaterThanOrEqualTo(1), "the killed silo's shard moved");
            Assert.That(executor.Assignment, Does.Not.Contain(victim), "the last iteration ran on the silos left");
        });
    }

    [Test]
    public async Task Train_Straggler_ShardsMoveAndResultIsUnchanged()
    {
        var preset = TinyPreset();
        byte[] expected = TrainInProcess(preset);
        await using var cluster = await Deploy(3, slowSilo: true);
        var executor = new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards, new DistributedTrainingOptions { StragglerTimeout = TimeSpan.FromSeconds(2), MembershipPollInterval = TimeSpan.FromMilliseconds(200) });
        int reassigned = 0;
        byte[] actual = Train(preset, executor, () => reassigned += executor.Statistics.ReassignedShards);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(reassigned, Is.GreaterThanOrEqualTo(1), "the slow silo's shard moved");
        });
    }

    [Test]
    public async Task Train_SiloJoinsMidRun_TakesShardsFromTheNextIteration()
    {
        var preset = TinyPreset();
        byte[] expected = TrainInProcess(preset);
        await using var cluster = await Deploy(2);
        var executor = new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards);
        var workers = new List<int>();
        byte[] actual = Train(preset, executor, () =>
        {
            workers.Add(executor.Statistics.Workers);
            if (workers.Count == 1)
            {
                cluster.StartAdditionalSiloAsync().GetAwaiter().GetResult();
            }
        });
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(workers[0], Is.EqualTo(2));
            Assert.That(workers[^1], Is.EqualTo(3), "the new silo took a shard");
        });
    }

    [Test]
    public async Task Train_LearnerRestartedFromCheckpoint_MatchesOneProcessBitForBit()
    {
        var preset = TinyPreset();
        byte[] expected = TrainInProcess(preset);
        await using var cluster = await Deploy(2);
        string checkpoint = Path.Combine(_dir, "learner.bin");
        var spec = preset.CreateEnvironment();
        using (var policy = preset.CreatePolicy(spec))
        using (var first = new PpoTrainer(policy, spec, preset.Ppo, new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards)))
        {
            // The first learner stops after one iteration (as if it died after its checkpoint); the workers keep its run.
            first.Train(iterations: 1);
            first.SaveCheckpoint(checkpoint);
        }

        using var resumedPolicy = preset.CreatePolicy(spec);
        using var resumed = new PpoTrainer(resumedPolicy, spec, preset.Ppo, new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards));
        resumed.LoadCheckpoint(checkpoint);
        resumed.Train();
        string path = Path.Combine(_dir, "resumed.bin");
        resumed.SaveCheckpoint(path);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(expected));
    }

    [Test]
    public void Options_BadValues_ThrowNamingThem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new DistributedTrainingOptions { StragglerTimeout = TimeSpan.Zero }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("StragglerTimeout must be more than 0"));
            Assert.That(() => new DistributedTrainingOptions { MinimumWorkers = 0 }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MinimumWorkers must be at least 1"));
            Assert.That(() => new DistributedTrainingOptions { WorkerWaitTimeout = TimeSpan.FromDays(2) }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("at most one day"));
        });
    }

    [Test]
    public async Task CollectRollouts_NoWorkerWithinTheWait_ThrowsNoWorkers()
    {
        var preset = TinyPreset();
        await using var cluster = await Deploy(1);
        var executor = new OrleansShardExecutor(cluster.Client, preset.ToJson(), Shards, new DistributedTrainingOptions { MinimumWorkers = 2, WorkerWaitTimeout = TimeSpan.FromSeconds(1), MembershipPollInterval = TimeSpan.FromMilliseconds(200) });
        var ex = Assert.Throws<NoWorkersException>(() => Train(preset, executor));
        Assert.That(ex!.Message, Does.Contain("1 RL3 worker(s) in the cluster").And.Contain("MinimumWorkers"));
    }

    private byte[] TrainInProcess(TrainingPreset preset) => Train(preset, null);

    private byte[] Train(TrainingPreset preset, IShardExecutor? executor, Action? onIterationEnd = null)
    {
        var spec = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(spec);
        using var trainer = new PpoTrainer(policy, spec, preset.Ppo, executor);
        trainer.Train(callbacks: onIterationEnd is null ? null : [new AfterIteration(onIterationEnd)]);
        string path = Path.Combine(_dir, executor is null ? "single.bin" : Guid.NewGuid().ToString("N") + ".bin");
        trainer.SaveCheckpoint(path);
        return File.ReadAllBytes(path);
    }

    private static async Task<TestCluster> Deploy(int silos, bool slowSilo = false)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.AddSiloBuilderConfigurator<WorkerSilos>();
        if (slowSilo)
        {
            builder.AddSiloBuilderConfigurator<SlowFirstSecondary>();
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class WorkerSilos : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddRL3WorkerGrains();
            siloBuilder.Configure<global::Orleans.Configuration.ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
            });
        }
    }

    /// <summary>The first secondary silo takes 6 s to build its worker (longer than the test's 2 s straggler time-out).</summary>
    private sealed class SlowFirstSecondary : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddSingleton<IShardWorkerFactory>(services => new SlowFactory(services.GetRequiredService<ILocalSiloDetails>()));
    }

    private sealed class SlowFactory(ILocalSiloDetails silo) : IShardWorkerFactory
    {
        private readonly PresetShardWorkerFactory _inner = new();

        public ShardWorkerReplica Create(string specification)
        {
            if (silo.Name.EndsWith("_1", StringComparison.Ordinal))
            {
                Thread.Sleep(TimeSpan.FromSeconds(6));
            }

            return _inner.Create(specification);
        }
    }

    private sealed class AfterIteration(Action action) : ITrainingCallback
    {
        public bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> metrics)
        {
            action();
            return true;
        }
    }

    /// <summary>Passes every call to <paramref name="inner"/>; after the first gradient call of <paramref name="iteration"/>, runs <paramref name="kill"/> once.</summary>
    private sealed class KillMidIteration(OrleansShardExecutor inner, int iteration, Action kill, Action onIterationEnd) : IShardExecutor
    {
        public bool Killed { get; private set; }

        public int ShardCount => inner.ShardCount;

        public async ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default)
        {
            if (requests[0].Iteration > 0)
            {
                onIterationEnd();
            }

            return await inner.CollectRolloutsAsync(requests, cancellationToken);
        }

        public async ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default)
        {
            var results = await inner.ComputeGradientsAsync(requests, cancellationToken);
            if (!Killed && requests[0].Iteration == iteration)
            {
                kill();
                Killed = true;
            }

            return results;
        }

        public ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default) =>
            inner.ComputeKlAsync(requests, cancellationToken);
    }
}
