using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

/// <summary>The two KL early-stop rules of <see cref="PpoOptions.KlEarlyStop"/>: both deterministic, both honoured, and different.</summary>
public sealed class PpoKlEarlyStopTests
{
    private const int H = 10;

    private static MetaEnvironmentSpec Spec() => MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);

    private static GruPolicy Policy(MetaEnvironmentSpec spec) => new(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new GruPolicyOptions
    {
        EmbeddingSize = 16,
        HiddenSize = 24,
        Seed = 7,
    });

    private static PpoOptions Options(KlEarlyStop rule, int threads = 1, double targetKl = 0.01, int epochs = 3) => new()
    {
        BatchSteps = 8 * H,
        MinibatchSequences = 3,
        Epochs = epochs,
        Iterations = 5,
        Seed = 11,
        MaxDegreeOfParallelism = threads,
        TargetKl = targetKl,
        LearningRate = 3e-3,
        KlEarlyStop = rule,
    };

    private static (byte[] Weights, double[] Kl, double[] Epochs) Run(KlEarlyStop rule, int threads = 1, double targetKl = 0.01, int epochs = 3, int iterations = 3)
    {
        var spec = Spec();
        using var policy = Policy(spec);
        using var trainer = new PpoTrainer(policy, spec, Options(rule, threads, targetKl, epochs));
        var kl = new double[iterations];
        var actorEpochs = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var result = trainer.RunIteration();
            kl[i] = result.Get(TrainingMetricKeys.ApproxKl);
            actorEpochs[i] = result.Get(TrainingMetricKeys.ActorEpochs);
        }

        using var stream = new MemoryStream();
        policy.Save(stream);
        return (stream.ToArray(), kl, actorEpochs);
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Train_SameSeed_SameRun_WhateverTheThreadCount(KlEarlyStop rule)
    {
        var one = Run(rule);
        var again = Run(rule);
        var two = Run(rule, threads: 2);
        Assert.That(again.Weights, Is.EqualTo(one.Weights));
        Assert.That(again.Kl, Is.EqualTo(one.Kl));
        Assert.That(two.Weights, Is.EqualTo(one.Weights));
        Assert.That(two.Kl, Is.EqualTo(one.Kl));
        Assert.That(two.Epochs, Is.EqualTo(one.Epochs));
    }

    [Test]
    public void Rules_GiveDifferentRuns()
    {
        var estimates = Run(KlEarlyStop.MinibatchEstimates);
        var exact = Run(KlEarlyStop.ExactFullBatch);
        Assert.That(exact.Weights, Is.Not.EqualTo(estimates.Weights), "fixed minibatch order and another KL: another run");
        Assert.That(exact.Kl, Is.All.GreaterThanOrEqualTo(0), "the exact KL of two distributions is never negative");
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void TargetKl_TinyStopsAfterOneActorEpoch_InfiniteNeverStops(KlEarlyStop rule)
    {
        Assert.That(Run(rule, targetKl: 1e-12, epochs: 4, iterations: 2).Epochs, Is.All.EqualTo(1));
        Assert.That(Run(rule, targetKl: double.PositiveInfinity, epochs: 4, iterations: 2).Epochs, Is.All.EqualTo(4));
    }

    [Test]
    public void ExactFullBatch_PolicyWithoutLogits_ThrowsAtConstruction()
    {
        var spec = Spec();
        using var inner = Policy(spec);
        using var policy = new WrappedPolicy(inner);
        var error = Assert.Throws<ArgumentException>(() => new PpoTrainer(policy, spec, Options(KlEarlyStop.ExactFullBatch)));
        Assert.That(error!.ParamName, Is.EqualTo("options"));
        Assert.That(error.Message, Does.Contain("ExactFullBatch").And.Contain("MinibatchEstimates"));
        Assert.DoesNotThrow(() => new PpoTrainer(policy, spec, Options(KlEarlyStop.MinibatchEstimates)).Dispose());
    }

    [Test]
    public void Validate_UndefinedRule_ThrowsNamingTheOption()
    {
        var options = Options((KlEarlyStop)7);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate(H));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(PpoOptions.KlEarlyStop)));
    }

    [Test]
    public void Preset_SetKey_SelectsTheRule_AndPaperPresetsUseTheAuthorsRule()
    {
        var quick = PresetCatalog.Get("mdp-h20-rl3-quick");
        Assert.That(quick.Ppo.KlEarlyStop, Is.EqualTo(KlEarlyStop.MinibatchEstimates));
        quick.Set("ppo.klEarlyStop", "exactFullBatch");
        Assert.That(quick.Ppo.KlEarlyStop, Is.EqualTo(KlEarlyStop.ExactFullBatch));
        foreach (string name in PresetCatalog.Names.Where(n => !n.EndsWith("-quick", StringComparison.Ordinal)))
        {
            Assert.That(PresetCatalog.Get(name).Ppo.KlEarlyStop, Is.EqualTo(KlEarlyStop.ExactFullBatch), name);
        }
    }

    /// <summary>A policy of the user's own: delegates everything, exposes no logits.</summary>
    private sealed class WrappedPolicy(IMetaPolicy inner) : IMetaPolicy
    {
        public int ObservationSize => inner.ObservationSize;
        public int ActionCount => inner.ActionCount;
        public int MaxSequenceLength => inner.MaxSequenceLength;
        public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => inner.CreateOptimizer(settings);
        public IMetaPolicyState CreateState(int slots) => inner.CreateState(slots);

        public void Act(IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random, Span<int> actions, Span<float> logProbabilities, Span<float> values) =>
            inner.Act(state, observations, selection, random, actions, logProbabilities, values);

        public void EvaluateSequences(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps, Span<float> logProbabilities, Span<float> entropies, Span<float> values) =>
            inner.EvaluateSequences(observations, actions, sequences, steps, logProbabilities, entropies, values);

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
