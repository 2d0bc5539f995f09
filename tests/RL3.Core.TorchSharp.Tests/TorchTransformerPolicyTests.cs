using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>
/// <see cref="TorchTransformerPolicy"/> against the in-house <see cref="TransformerPolicy"/> with the same weights (moved
/// through the interchange format): the same log-probabilities, entropies and values within 1e-5 for sequence evaluation
/// and for cached acting with per-slot resets at different positions, and the same gradients within a relative 1e-4 per
/// parameter tensor. This checks libtorch's autograd against the in-house backward pass as much as it checks the adapter.
/// </summary>
public sealed class TorchTransformerPolicyTests
{
    private const float ValueTolerance = 1e-5f;

    /// <summary>‖g_torch − g_inhouse‖ ≤ this × ‖g_inhouse‖ (+ 1e-7 absolute) for every parameter tensor (measured: below 1e-6).</summary>
    private const double GradientRelativeTolerance = 1e-4;

    /// <summary>One libtorch thread (process-wide): what CI's 2 shared cores run fastest, and bit-reproducible.</summary>
    private static TorchSharpOptions OnCpu => new() { Device = "cpu", ThreadCount = 1 };

    private static PolicyShape Shape(int context = 12) => new(7, 5, context);

    private static TransformerPolicyOptions Small(ulong seed = 3) => new()
    {
        EmbeddingHiddenSize = 32,
        ModelDim = 16,
        Heads = 4,
        FeedForwardDim = 32,
        Layers = 2,
        Seed = seed,
    };

    /// <summary>An in-house policy whose every parameter is random (so biases, LayerNorm γ/β and positions matter), and a torch policy loaded with the same weights.</summary>
    private static (TransformerPolicy InHouse, TorchTransformerPolicy Torch) Pair(PolicyShape shape, TransformerPolicyOptions options)
    {
        var inHouse = new TransformerPolicy(shape, options);
        using (var optimizer = inHouse.CreateOptimizer(new PolicyOptimizerSettings()))
        {
            var rng = new RandomSource(options.Seed + 100);
            var weights = new float[optimizer.ParameterCount];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(0.3 * rng.NextGaussian());
            }

            optimizer.CopyParametersFrom(weights);
        }

        var torch = new TorchTransformerPolicy(shape, options, OnCpu);
        InterchangeArchive.Copy(inHouse, torch);
        return (inHouse, torch);
    }

    private static float[] Random(RandomSource rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)rng.NextGaussian();
        }

        return values;
    }

    [Test]
    public void Constructor_SameSeed_SameWeightsAsInHouse_InTheSameFileFormat()
    {
        using var inHouse = new TransformerPolicy(Shape(), Small(5));
        using var torch = new TorchTransformerPolicy(Shape(), Small(5), OnCpu);
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        inHouse.Save(a);
        torch.Save(b);
        Assert.That(b.ToArray(), Is.EqualTo(a.ToArray()));
    }

    [Test]
    public void EvaluateSequences_SameWeights_MatchesInHouse()
    {
        var (inHouse, torch) = Pair(Shape(), Small());
        using (inHouse)
        using (torch)
        {
            const int B = 3;
            const int T = 10; // shorter than the context: positions ≥ T are unused
            var rng = new RandomSource(5);
            var obs = Random(rng, B * T * 7);
            var actions = Enumerable.Range(0, B * T).Select(_ => rng.NextInt(5)).ToArray();
            var (lp1, h1, v1) = Evaluate(inHouse, obs, actions, B, T);
            var (lp2, h2, v2) = Evaluate(torch, obs, actions, B, T);
            Assert.That(lp2, Is.EqualTo(lp1).Within(ValueTolerance), "log-probabilities");
            Assert.That(h2, Is.EqualTo(h1).Within(ValueTolerance), "entropies");
            Assert.That(v2, Is.EqualTo(v1).Within(ValueTolerance), "values");
        }
    }

    [Test]
    public void BackwardSequences_SameWeights_GradientsMatchInHouse()
    {
        var (inHouse, torch) = Pair(Shape(), Small());
        using (inHouse)
        using (torch)
        {
            const int B = 3;
            const int T = 10;
            var rng = new RandomSource(6);
            var obs = Random(rng, B * T * 7);
            var actions = Enumerable.Range(0, B * T).Select(_ => rng.NextInt(5)).ToArray();
            var dLogp = Random(rng, B * T);
            var dEntropy = Random(rng, B * T);
            var dValue = Random(rng, B * T);
            var g1 = Gradients(inHouse, obs, actions, B, T, dLogp, dEntropy, dValue);
            var g2 = Gradients(torch, obs, actions, B, T, dLogp, dEntropy, dValue);
            Assert.That(g2.Length, Is.EqualTo(g1.Length));

            // One tensor at a time, in the interchange order (the same flat layout in both engines).
            var archive = InterchangeArchive.Of(inHouse);
            int offset = 0;
            int nonZero = 0;
            foreach (string name in archive.TensorNames)
            {
                int length = archive.GetData(name).Length;
                double diff = 0;
                double norm = 0;
                for (int i = offset; i < offset + length; i++)
                {
                    diff += (g2[i] - (double)g1[i]) * (g2[i] - (double)g1[i]);
                    norm += g1[i] * (double)g1[i];
                }

                Assert.That(Math.Sqrt(diff), Is.LessThanOrEqualTo((GradientRelativeTolerance * Math.Sqrt(norm)) + 1e-7), name);
                nonZero += norm > 0 ? 1 : 0;
                offset += length;
            }

            Assert.That(offset, Is.EqualTo(g1.Length));
            Assert.That(nonZero, Is.EqualTo(archive.TensorNames.Count()), "every parameter tensor gets a gradient");
        }
    }

    [Test]
    public void Act_PerSlotResetsAtDifferentPositions_MatchesInHouse()
    {
        var (inHouse, torch) = Pair(Shape(), Small());
        using (inHouse)
        using (torch)
        {
            const int N = 4;
            var s1 = inHouse.CreateState(N);
            var s2 = torch.CreateState(N);
            var sampler1 = new RandomSource(9);
            var sampler2 = new RandomSource(9);
            var rng = new RandomSource(10);
            var resets = new RandomSource(11);
            var a1 = new int[N];
            var a2 = new int[N];
            var lp1 = new float[N];
            var lp2 = new float[N];
            var v1 = new float[N];
            var v2 = new float[N];
            var positions = new HashSet<string>();
            for (int step = 0; step < 40; step++)
            {
                for (int slot = 0; slot < N; slot++)
                {
                    // Slot 0 runs to the end of the context, the others are reset at random times.
                    if (s1.GetPosition(slot) == Shape().ContextLength || (slot > 0 && resets.NextInt(5) == 0))
                    {
                        s1.Reset(slot);
                        s2.Reset(slot);
                    }
                }

                positions.Add(string.Join(",", Enumerable.Range(0, N).Select(s2.GetPosition)));
                var obs = Random(rng, N * 7);
                var selection = step % 3 == 0 ? ActionSelection.Greedy : ActionSelection.Sample;
                inHouse.Act(s1, obs, selection, sampler1, a1, lp1, v1);
                torch.Act(s2, obs, selection, sampler2, a2, lp2, v2);
                Assert.That(a2, Is.EqualTo(a1), $"actions at step {step}");
                Assert.That(lp2, Is.EqualTo(lp1).Within(ValueTolerance), $"log-probabilities at step {step}");
                Assert.That(v2, Is.EqualTo(v1).Within(ValueTolerance), $"values at step {step}");
                for (int slot = 0; slot < N; slot++)
                {
                    Assert.That(s2.GetPosition(slot), Is.EqualTo(s1.GetPosition(slot)));
                }
            }

            Assert.That(positions.Count(p => p.Split(',').Distinct().Count() >= 3), Is.GreaterThan(10), "slots were at different positions");
        }
    }

    [Test]
    public void PolicyChecker_DefaultArchitecture_PassesEveryCheck()
    {
        using var torch = new TorchTransformerPolicy(new PolicyShape(17, 5, 20), new TransformerPolicyOptions { Seed = 2 }, OnCpu);
        var report = PolicyChecker.Check(torch);
        Assert.That(report.Passed, Is.True, report.ToString());
    }

    [Test]
    public void Act_BeyondContextLength_ThrowsNamingState()
    {
        using var torch = new TorchTransformerPolicy(Shape(3), Small(), OnCpu);
        var state = torch.CreateState(2);
        var obs = new float[2 * 7];
        var a = new int[2];
        var lp = new float[2];
        var v = new float[2];
        for (int t = 0; t < 3; t++)
        {
            torch.Act(state, obs, ActionSelection.Greedy, null, a, lp, v);
        }

        state.Reset(0);
        var e = Assert.Throws<ArgumentException>(() => torch.Act(state, obs, ActionSelection.Greedy, null, a, lp, v));
        Assert.That(e!.ParamName, Is.EqualTo("state"));
        Assert.That(e.Message, Does.Contain("Slot 1").And.Contain("ContextLength = 3"));
        Assert.That(state.GetPosition(0), Is.EqualTo(0), "nothing advanced");
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.Heads = 3;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TorchTransformerPolicy(Shape(), o));
        Assert.That(e!.Message, Does.Contain("Heads"));
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => new TorchTransformerPolicy(new PolicyShape(7, 5, 0), Small()));
        Assert.That(shape!.Message, Does.Contain("ContextLength"));
    }

    [Test]
    public void PpoTrainer_TrainsIt_FiniteMetricsAndChangedWeights()
    {
        const int H = 6;
        var spec = MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);
        using var policy = new TorchTransformerPolicy(
            PolicyShape.ForInteractionBudget(spec.ObservationSize, spec.Distribution.ActionCount, H), Small(4), OnCpu);
        byte[] before = Weights(policy);
        var options = new PpoOptions { BatchSteps = 8 * H, MinibatchSequences = 4, Epochs = 2, Iterations = 2, Seed = 11 };
        using var trainer = new PpoTrainer(policy, spec, options);
        var summary = trainer.Train();
        Assert.That(summary.IterationsCompleted, Is.EqualTo(2));
        var last = summary.LastIteration!;
        foreach (string key in new[] { TrainingMetricKeys.PolicyLoss, TrainingMetricKeys.ValueLoss, TrainingMetricKeys.Entropy, TrainingMetricKeys.ApproxKl })
        {
            Assert.That(double.IsFinite(last.Get(key)), Is.True, key);
        }

        Assert.That(Weights(policy), Is.Not.EqualTo(before));
    }

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    private static (float[] LogP, float[] Entropy, float[] Value) Evaluate(IMetaPolicy policy, float[] obs, int[] actions, int b, int t)
    {
        var lp = new float[b * t];
        var h = new float[b * t];
        var v = new float[b * t];
        policy.EvaluateSequences(obs, actions, b, t, lp, h, v);
        return (lp, h, v);
    }

    private static float[] Gradients(IMetaPolicy policy, float[] obs, int[] actions, int b, int t, float[] dLogp, float[] dEntropy, float[] dValue)
    {
        using var optimizer = policy.CreateOptimizer(new PolicyOptimizerSettings());
        optimizer.ZeroGrad();
        Evaluate(policy, obs, actions, b, t);
        policy.BackwardSequences(dLogp, dEntropy, dValue);
        var g = new float[optimizer.ParameterCount];
        optimizer.CopyGradientsTo(g);
        return g;
    }
}
