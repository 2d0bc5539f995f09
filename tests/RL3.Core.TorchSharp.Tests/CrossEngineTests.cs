using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>
/// The same weights in both engines give the same outputs and gradients: the TorchSharp policies against the in-house
/// ones (and so the in-house engine's hand-written backward passes against libtorch's autograd).
/// </summary>
/// <remarks>
/// Tolerances: log-probabilities, entropies and values within 1e-5 (absolute); gradients within 1e-5 of the largest
/// gradient magnitude of the policy (max |g_torch − g_in-house| ≤ 1e-5 · max |g_in-house|), since float32 sums in another
/// order differ in the last bits and back-propagation through time accumulates them.
/// </remarks>
[TestFixture("gru")]
[TestFixture("mlp")]
public sealed class CrossEngineTests(string kind)
{
    private const int M = 6;
    private const int A = 4;

    [Test]
    public void Construction_SameSeed_SameInitialWeightsAsTheInHousePolicy()
    {
        using var inHouse = CrossEngine.InHouse(kind, M, A);
        using var torchPolicy = CrossEngine.Torch(kind, M, A);
        var a = CrossEngine.Parameters(inHouse);
        var b = CrossEngine.Parameters(torchPolicy);
        Assert.That(b, Is.EqualTo(a), "the flat layouts and the initial weights agree exactly");
    }

    [Test]
    public void SaveLoad_BetweenEngines_RoundTripsBitExactly()
    {
        using var inHouse = CrossEngine.InHouse(kind, M, A);
        using var torchPolicy = CrossEngine.Torch(kind, M, A);
        CrossEngine.Perturb(inHouse, seed: 3);
        InterchangeArchive.Copy(inHouse, torchPolicy);
        Assert.That(CrossEngine.Parameters(torchPolicy), Is.EqualTo(CrossEngine.Parameters(inHouse)));
        CrossEngine.Perturb(torchPolicy, seed: 4);
        InterchangeArchive.Copy(torchPolicy, inHouse);
        Assert.That(CrossEngine.Parameters(inHouse), Is.EqualTo(CrossEngine.Parameters(torchPolicy)));
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        inHouse.Save(a);
        torchPolicy.Save(b);
        Assert.That(b.ToArray(), Is.EqualTo(a.ToArray()), "both engines write the same file");
    }

    [Test]
    public void EvaluateAndBackward_SameWeights_SameOutputsAndGradients()
    {
        using var inHouse = CrossEngine.InHouse(kind, M, A);
        using var torchPolicy = CrossEngine.Torch(kind, M, A);
        CrossEngine.Perturb(inHouse, seed: 5);
        InterchangeArchive.Copy(inHouse, torchPolicy);
        const int b = 3, t = 7;
        var rng = new RandomSource(11);
        var obs = CrossEngine.Uniform(rng, b * t * M);
        var actions = Enumerable.Range(0, b * t).Select(_ => rng.NextInt(A)).ToArray();
        var gl = CrossEngine.Uniform(rng, b * t);
        var ge = CrossEngine.Uniform(rng, b * t);
        var gv = CrossEngine.Uniform(rng, b * t);
        var (lp1, en1, v1, g1) = CrossEngine.EvaluateAndBackward(inHouse, obs, actions, b, t, gl, ge, gv);
        var (lp2, en2, v2, g2) = CrossEngine.EvaluateAndBackward(torchPolicy, obs, actions, b, t, gl, ge, gv);
        Assert.That(lp2, Is.EqualTo(lp1).Within(1e-5f).AsCollection, "log-probabilities");
        Assert.That(en2, Is.EqualTo(en1).Within(1e-5f).AsCollection, "entropies");
        Assert.That(v2, Is.EqualTo(v1).Within(1e-5f).AsCollection, "values");
        double scale = g1.Max(Math.Abs);
        double worst = g1.Zip(g2, (x, y) => Math.Abs(x - y)).Max();
        TestContext.Out.WriteLine($"{kind}: max |g| = {scale:E3}, max |Δg| = {worst:E3} (relative {worst / scale:E3}) over {g1.Length} gradients");
        Assert.That(scale, Is.GreaterThan(0));
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5 * scale));
    }

    [Test]
    public void Act_SlotsResetAtDifferentPositions_SameActionsLogProbabilitiesAndValues()
    {
        using var inHouse = CrossEngine.InHouse(kind, M, A);
        using var torchPolicy = CrossEngine.Torch(kind, M, A);
        CrossEngine.Perturb(inHouse, seed: 6);
        InterchangeArchive.Copy(inHouse, torchPolicy);
        const int n = 4, steps = 12;
        var s1 = inHouse.CreateState(n);
        var s2 = torchPolicy.CreateState(n);
        var r1 = new RandomSource(21);
        var r2 = new RandomSource(21);
        var rng = new RandomSource(22);
        var (a1, l1, v1) = (new int[n], new float[n], new float[n]);
        var (a2, l2, v2) = (new int[n], new float[n], new float[n]);
        for (int t = 0; t < steps; t++)
        {
            foreach (var (slot, at) in new[] { (1, 3), (2, 5), (2, 9), (3, 7) })
            {
                if (t == at)
                {
                    s1.Reset(slot);
                    s2.Reset(slot);
                }
            }

            var obs = CrossEngine.Uniform(rng, n * M);
            var selection = t % 3 == 2 ? ActionSelection.Greedy : ActionSelection.Sample;
            inHouse.Act(s1, obs, selection, r1, a1, l1, v1);
            torchPolicy.Act(s2, obs, selection, r2, a2, l2, v2);
            Assert.That(a2, Is.EqualTo(a1), $"actions at step {t}");
            Assert.That(l2, Is.EqualTo(l1).Within(1e-5f).AsCollection, $"log-probabilities at step {t}");
            Assert.That(v2, Is.EqualTo(v1).Within(1e-5f).AsCollection, $"values at step {t}");
            for (int s = 0; s < n; s++)
            {
                Assert.That(s2.GetPosition(s), Is.EqualTo(s1.GetPosition(s)));
            }
        }

        s1.ResetAll();
        s2.ResetAll();
        var last = CrossEngine.Uniform(rng, n * M);
        inHouse.Act(s1, last, ActionSelection.Greedy, null, a1, l1, v1);
        torchPolicy.Act(s2, last, ActionSelection.Greedy, null, a2, l2, v2);
        Assert.That(v2, Is.EqualTo(v1).Within(1e-5f).AsCollection, "after ResetAll");
    }

    [Test]
    public void PolicyChecker_TorchPolicy_PassesEveryCheck()
    {
        using var torchPolicy = CrossEngine.Torch(kind, M, A);
        CrossEngine.Perturb(torchPolicy, seed: 8);
        var report = PolicyChecker.Check(torchPolicy);
        Assert.That(report.Passed, Is.True, report.ToString());
    }
}
