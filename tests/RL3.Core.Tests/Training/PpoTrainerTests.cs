using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tests.Meta;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class PpoTrainerTests
{
    private const int H = 10;

    private static MetaEnvironmentSpec Spec(MetaAlgorithm algorithm = MetaAlgorithm.Rl3) =>
        MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), algorithm, H);

    private static GruPolicy Policy(MetaEnvironmentSpec spec, ulong seed = 7) => new(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new GruPolicyOptions
    {
        EmbeddingSize = 16,
        HiddenSize = 24,
        Seed = seed,
    });

    private static PpoOptions Options(int threads = 1) => new()
    {
        BatchSteps = 8 * H,
        MinibatchSequences = 3, // 8 sequences: minibatches of 3, 3 and 2
        Epochs = 3,
        Iterations = 5,
        Seed = 11,
        MaxDegreeOfParallelism = threads,
    };

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    [Test]
    public void RunIteration_ProducesFiniteMetricsAndCountsSteps()
    {
        var spec = Spec();
        using var policy = Policy(spec);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var result = trainer.RunIteration();
        Assert.That(trainer.Iteration, Is.EqualTo(1));
        Assert.That(trainer.TotalSteps, Is.EqualTo(80));
        foreach (string key in new[] { TrainingMetricKeys.ReturnMean, TrainingMetricKeys.PolicyLoss, TrainingMetricKeys.ValueLoss, TrainingMetricKeys.Entropy, TrainingMetricKeys.ApproxKl, TrainingMetricKeys.ClipFraction, TrainingMetricKeys.StepsPerSecond })
        {
            Assert.That(double.IsFinite(result.Get(key)), Is.True, key);
        }

        Assert.That(result.ReturnMean, Is.InRange(0, H));
        Assert.That(result.Get(TrainingMetricKeys.Entropy), Is.InRange(0, Math.Log(5) + 1e-6));
        Assert.That(result.Get(TrainingMetricKeys.ActorEpochs), Is.InRange(1, 3));
    }

    [Test]
    public void Train_SameSeed_SameWeights_WhateverTheThreadCount()
    {
        var spec = Spec();
        byte[] Run(int threads)
        {
            using var policy = Policy(spec);
            using var trainer = new PpoTrainer(policy, spec, Options(threads));
            trainer.Train(iterations: 2);
            return Weights(policy);
        }

        byte[] one = Run(1);
        Assert.That(Run(1), Is.EqualTo(one));
        Assert.That(Run(2), Is.EqualTo(one));
    }

    [Test]
    public void Train_ChangesWeights()
    {
        var spec = Spec();
        using var policy = Policy(spec);
        byte[] before = Weights(policy);
        using var trainer = new PpoTrainer(policy, spec, Options());
        trainer.Train(iterations: 1);
        Assert.That(Weights(policy), Is.Not.EqualTo(before));
    }

    [Test]
    public void Checkpoint_ResumedRunEqualsUninterruptedRun()
    {
        var spec = Spec();
        string path = Path.Combine(Path.GetTempPath(), $"rl3-ckpt-{Guid.NewGuid():N}.bin");
        try
        {
            byte[] uninterrupted;
            IReadOnlyDictionary<string, double> lastMetrics;
            using (var policy = Policy(spec))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                lastMetrics = trainer.Train(iterations: 3).LastIteration!.Metrics;
                uninterrupted = Weights(policy);
            }

            using (var policy = Policy(spec))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.Train(iterations: 1);
                trainer.SaveCheckpoint(path);
            }

            using (var policy = Policy(spec, seed: 999)) // different initial weights: the checkpoint must restore them
            using (var trainer = new PpoTrainer(policy, spec, Options(threads: 2)))
            {
                trainer.LoadCheckpoint(path);
                Assert.That(trainer.Iteration, Is.EqualTo(1));
                var resumed = trainer.Train(iterations: 2).LastIteration!;
                Assert.That(Weights(policy), Is.EqualTo(uninterrupted));
                Assert.That(resumed.Get(TrainingMetricKeys.ReturnMean), Is.EqualTo(lastMetrics[TrainingMetricKeys.ReturnMean]));
                Assert.That(resumed.Get(TrainingMetricKeys.ValueLoss), Is.EqualTo(lastMetrics[TrainingMetricKeys.ValueLoss]));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("flip")]
    [TestCase("truncate")]
    [TestCase("options")]
    public void LoadCheckpoint_BadFile_ThrowsAndChangesNothing(string damage)
    {
        var spec = Spec();
        string path = Path.Combine(Path.GetTempPath(), $"rl3-ckpt-{Guid.NewGuid():N}.bin");
        try
        {
            using (var policy = Policy(spec))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.Train(iterations: 1);
                trainer.SaveCheckpoint(path);
            }

            byte[] bytes = File.ReadAllBytes(path);
            var options = Options();
            switch (damage)
            {
                case "flip":
                    bytes[bytes.Length / 2] ^= 0x40;
                    File.WriteAllBytes(path, bytes);
                    break;
                case "truncate":
                    File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
                    break;
                default:
                    options.ClipEpsilon = 0.3;
                    break;
            }

            using var fresh = Policy(spec, seed: 5);
            using var target = new PpoTrainer(fresh, spec, options);
            byte[] before = Weights(fresh);
            var ex = Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(path));
            Assert.That(ex!.Message, Does.Contain(path));
            if (damage == "options")
            {
                Assert.That(ex.Message, Does.Contain("ClipEpsilon"));
            }

            Assert.That(Weights(fresh), Is.EqualTo(before));
            Assert.That(target.Iteration, Is.EqualTo(0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SaveCheckpoint_LeavesNoTemporaryFile()
    {
        var spec = Spec();
        string directory = Path.Combine(Path.GetTempPath(), $"rl3-ckpt-{Guid.NewGuid():N}");
        try
        {
            using var policy = Policy(spec);
            using var trainer = new PpoTrainer(policy, spec, Options());
            trainer.SaveCheckpoint(Path.Combine(directory, "a.ckpt"));
            trainer.SaveCheckpoint(Path.Combine(directory, "a.ckpt"));
            Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName), Is.EqualTo(new[] { "a.ckpt" }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void RunIteration_NaNValue_ThrowsNamingTheQuantity_BeforeAnyStep()
    {
        var spec = Spec();
        using var inner = Policy(spec);
        using var policy = new NaNValuePolicy(inner);
        byte[] before = Weights(inner);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.RunIteration());
        Assert.That(ex!.Quantity, Is.EqualTo(TrainingMetricKeys.ValueLoss));
        Assert.That(ex.Message, Does.Contain("losses/value"));
        Assert.That(Weights(inner), Is.EqualTo(before));
        Assert.That(trainer.Iteration, Is.EqualTo(0));
    }

    [Test]
    public void RunIteration_NaNValue_SaysEveryInputWasFinite()
    {
        var spec = Spec();
        using var inner = Policy(spec);
        using var policy = new NaNValuePolicy(inner);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.RunIteration());
        Assert.That(ex!.FirstNonFiniteInput, Is.Null);
        Assert.That(ex.Message, Does.Contain("Every input of the update was finite: lower the learning rate"));
    }

    [Test]
    public void RunIteration_TaskWritesInfiniteObservation_ThrowsNamingTheTaskBeforeAnyUpdate()
    {
        // Eight slots, one thread: the training sampler's task 2 runs in slot 2 and faults in its third step.
        var spec = MetaEnvironmentSpec.ForAlgorithm(new FaultyDistribution(TaskFault.ObservationValue, faultStep: 3, faultySample: 2, element: 0, value: float.PositiveInfinity), MetaAlgorithm.Rl3, H, new InnerEstimatorOptions { ValueScale = 1 });
        using var policy = Policy(spec);
        byte[] before = Weights(policy);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.RunIteration());
        Assert.That(ex!.Message, Does.Match(@"^Task 2 \(FaultyTask\) wrote a non-finite observation in Step\(action [01]\): element 0 of its 2-element observation is Infinity\."));
        Assert.That(Weights(policy), Is.EqualTo(before));
        Assert.That(trainer.Iteration, Is.EqualTo(0));
    }

    [Test]
    public void RunIteration_RewardBeyondFloatRange_DivergedNamesTheInputNotTheLearningRate()
    {
        // Task 2 (slot 2) pays 1e39 from its first step on: finite as a double, +∞ once stored as a float32.
        var spec = MetaEnvironmentSpec.ForAlgorithm(new FaultyDistribution(TaskFault.HugeReward, faultStep: 1, faultySample: 2), MetaAlgorithm.Rl2, H, new InnerEstimatorOptions { ValueScale = 1 });
        using var policy = Policy(spec);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.RunIteration());
        Assert.That(ex!.FirstNonFiniteInput, Does.StartWith("reward of sequence 2 at step 0 (Infinity as float32"));
        Assert.That(ex.Message, Does.Contain("An input was already non-finite, so the step size is not the cause: the first is the reward of sequence 2 at step 0"));
        Assert.That(ex.Message, Does.Not.Contain("learning rate"));
    }

    [Test]
    public void Constructor_BatchNotWholeMetaEpisodesOfTheEnvironmentsH_Throws()
    {
        // H lives in the environment only; the batch must hold whole meta-episodes of it.
        var spec = Spec();
        using var policy = Policy(spec);
        var options = Options();
        options.BatchSteps = 8 * H + 1;
        var ex = Assert.Throws<ArgumentException>(() => _ = new PpoTrainer(policy, spec, options));
        Assert.That(ex!.ParamName, Is.EqualTo("BatchSteps"));
    }

    [Test]
    public void Constructor_BadOptions_ThrowNamingTheField()
    {
        var spec = Spec();
        using var policy = Policy(spec);
        var options = Options();
        options.GaeLambda = 2;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PpoTrainer(policy, spec, options));
        Assert.That(ex!.ParamName, Is.EqualTo("GaeLambda"));
    }

    [Test]
    public void Constructor_PolicyForAnotherObservationSize_Throws()
    {
        using var policy = Policy(Spec(MetaAlgorithm.Rl2));
        var ex = Assert.Throws<ArgumentException>(() => _ = new PpoTrainer(policy, Spec(MetaAlgorithm.Rl3), Options()));
        Assert.That(ex!.ParamName, Is.EqualTo("policy"));
    }

    [Test]
    public void Train_CallbackReturningFalse_Stops()
    {
        var spec = Spec();
        using var policy = Policy(spec);
        using var trainer = new PpoTrainer(policy, spec, Options());
        var summary = trainer.Train(callbacks: [new StopAfter(2)]);
        Assert.That(summary.IterationsCompleted, Is.EqualTo(2));
        Assert.That(summary.StoppedEarly, Is.True);
    }

    private sealed class StopAfter(int iterations) : ITrainingCallback
    {
        public bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> extraMetrics) =>
            trainer.Iteration < iterations;
    }

    /// <summary>Delegates to a real policy but reports NaN values during sequence evaluation.</summary>
    private sealed class NaNValuePolicy(IMetaPolicy inner) : IMetaPolicy
    {
        public int ObservationSize => inner.ObservationSize;
        public int ActionCount => inner.ActionCount;
        public int MaxSequenceLength => inner.MaxSequenceLength;
        public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => inner.CreateOptimizer(settings);
        public IMetaPolicyState CreateState(int slots) => inner.CreateState(slots);

        public void Act(IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random, Span<int> actions, Span<float> logProbabilities, Span<float> values) =>
            inner.Act(state, observations, selection, random, actions, logProbabilities, values);

        public void EvaluateSequences(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps, Span<float> logProbabilities, Span<float> entropies, Span<float> values)
        {
            inner.EvaluateSequences(observations, actions, sequences, steps, logProbabilities, entropies, values);
            values[0] = float.NaN;
        }

        public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients) =>
            inner.BackwardSequences(logProbabilityGradients, entropyGradients, valueGradients);

        public void ZeroGrad() => inner.ZeroGrad();
        public void Save(Stream stream) => inner.Save(stream);
        public void Load(Stream stream) => inner.Load(stream);
        public void Dispose()
        {
        }
    }
}
