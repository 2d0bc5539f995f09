using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>
/// The TorchSharp optimiser (torch.optim.Adam per network, the critic with coupled weight decay, clip_grad_norm_ per
/// group) against the in-house one, and its saved state in both directions.
/// </summary>
public sealed class TorchPolicyOptimizerTests
{
    private const int M = 5;
    private const int A = 3;

    private static readonly PolicyOptimizerSettings Settings = new() { LearningRate = 0.01, CriticWeightDecay = 0.05 };

    private static (IMetaPolicy InHouse, IMetaPolicy Torch) Pair()
    {
        var inHouse = CrossEngine.InHouse("gru", M, A);
        var torchPolicy = CrossEngine.Torch("gru", M, A);
        CrossEngine.Perturb(inHouse, seed: 31);
        InterchangeArchive.Copy(inHouse, torchPolicy);
        return (inHouse, torchPolicy);
    }

    private static void StepBoth(IPolicyOptimizer a, IPolicyOptimizer b, RandomSource rng, PolicyParameterGroups groups)
    {
        var g = CrossEngine.Uniform(rng, a.ParameterCount);
        a.CopyGradientsFrom(g);
        b.CopyGradientsFrom(g);
        a.Step(groups);
        b.Step(groups);
    }

    private static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        double scale = expected.Max(Math.Abs);
        double worst = expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max();
        TestContext.Out.WriteLine($"{what}: max |Δ| = {worst:E3} of max |x| = {scale:E3}");
        Assert.That(worst, Is.LessThanOrEqualTo(relative * scale), what);
    }

    [Test]
    public void Step_SameGradients_SameParametersAsTheInHouseAdamWithCriticWeightDecay()
    {
        var (inHouse, torchPolicy) = Pair();
        using (inHouse)
        using (torchPolicy)
        {
            using var a = inHouse.CreateOptimizer(Settings);
            using var b = torchPolicy.CreateOptimizer(Settings);
            var rng = new RandomSource(1);
            for (int i = 0; i < 6; i++)
            {
                StepBoth(a, b, rng, PolicyParameterGroups.All);
            }

            var before = CrossEngine.Parameters(inHouse);
            AssertClose(before, CrossEngine.Parameters(torchPolicy), 1e-5, "parameters after 6 Adam steps");
        }
    }

    [Test]
    public void Step_ActorOnly_LeavesTheCriticAndItsStepCount()
    {
        using var torchPolicy = CrossEngine.Torch("gru", M, A);
        using var o = torchPolicy.CreateOptimizer(Settings);
        var before = CrossEngine.Parameters(torchPolicy);
        o.CopyGradientsFrom(CrossEngine.Uniform(new RandomSource(2), o.ParameterCount));
        o.Step(PolicyParameterGroups.Actor);
        var after = CrossEngine.Parameters(torchPolicy);
        int actorLength = ((TorchActorCriticPolicy)torchPolicy).ParameterNames.Count(n => n.StartsWith("actor.", StringComparison.Ordinal));
        using var state = new MemoryStream();
        o.SaveState(state);
        var archive = TensorArchive.FromBytes(state.ToArray());
        Assert.That(archive.TryGetInt64("actor.step", out long actorStep) && actorStep == 1, Is.True);
        Assert.That(archive.TryGetInt64("critic.step", out long criticStep) && criticStep == 0, Is.True);
        int criticStart = before.Length - CountCritic(torchPolicy);
        Assert.That(after[criticStart..], Is.EqualTo(before[criticStart..]), "critic unchanged");
        Assert.That(after[..criticStart], Is.Not.EqualTo(before[..criticStart]), "actor stepped");
        Assert.That(actorLength, Is.GreaterThan(0));
    }

    [Test]
    public void ClipGradientNorm_PerGroup_SameNormsAndGradientsAsInHouse()
    {
        var (inHouse, torchPolicy) = Pair();
        using (inHouse)
        using (torchPolicy)
        {
            using var a = inHouse.CreateOptimizer(Settings);
            using var b = torchPolicy.CreateOptimizer(Settings);
            var g = CrossEngine.Uniform(new RandomSource(3), a.ParameterCount);
            a.CopyGradientsFrom(g);
            b.CopyGradientsFrom(g);
            foreach (var group in new[] { PolicyParameterGroups.Actor, PolicyParameterGroups.Critic, PolicyParameterGroups.All })
            {
                Assert.That(b.GradientNorm(group), Is.EqualTo(a.GradientNorm(group)).Within(1e-5).Percent, $"norm of {group}");
            }

            double na = a.ClipGradientNorm(PolicyParameterGroups.Actor, 0.5);
            double nb = b.ClipGradientNorm(PolicyParameterGroups.Actor, 0.5);
            Assert.That(nb, Is.EqualTo(na).Within(1e-5).Percent);
            Assert.That(b.ClipGradientNorm(PolicyParameterGroups.Critic, 1e6), Is.EqualTo(a.ClipGradientNorm(PolicyParameterGroups.Critic, 1e6)).Within(1e-5).Percent);
            var ga = new float[a.ParameterCount];
            var gb = new float[b.ParameterCount];
            a.CopyGradientsTo(ga);
            b.CopyGradientsTo(gb);
            AssertClose(ga, gb, 1e-6, "gradients after clipping the actor to 0.5");
            Assert.That(b.GradientNorm(PolicyParameterGroups.Actor), Is.EqualTo(0.5).Within(1e-4).Percent);
            Assert.Throws<ArgumentOutOfRangeException>(() => b.ClipGradientNorm(PolicyParameterGroups.All, 0));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void SaveState_LoadedByTheOtherEngine_ContinuesTheSameRun(bool torchFirst)
    {
        var (inHouse, torchPolicy) = Pair();
        using (inHouse)
        using (torchPolicy)
        {
            var (first, second) = torchFirst ? (torchPolicy, inHouse) : (inHouse, torchPolicy);
            using var a = first.CreateOptimizer(Settings);
            using var b = second.CreateOptimizer(Settings);
            var rng = new RandomSource(4);
            for (int i = 0; i < 3; i++)
            {
                a.CopyGradientsFrom(CrossEngine.Uniform(rng, a.ParameterCount));
                a.Step(PolicyParameterGroups.All);
            }

            using var state = new MemoryStream();
            a.SaveState(state);
            state.Position = 0;
            b.LoadState(state);
            InterchangeArchive.Copy(first, second);
            for (int i = 0; i < 3; i++)
            {
                StepBoth(a, b, rng, PolicyParameterGroups.All);
            }

            AssertClose(CrossEngine.Parameters(first), CrossEngine.Parameters(second), 1e-5, "parameters 3 steps after the hand-over");
            using var again = new MemoryStream();
            b.SaveState(again);
            var names = TensorArchive.FromBytes(again.ToArray()).TensorNames.ToArray();
            Assert.That(names, Has.Member("actor.m.actor.gru.weight_hh").And.Member("critic.v.critic.head.bias"));
        }
    }

    [Test]
    public void LoadState_OtherShape_ThrowsNamingTheEntryAndChangesNothing()
    {
        using var torchPolicy = CrossEngine.Torch("gru", M, A);
        using var other = CrossEngine.Torch("gru", M, A + 1);
        using var o = torchPolicy.CreateOptimizer(Settings);
        using var p = other.CreateOptimizer(Settings);
        o.CopyGradientsFrom(CrossEngine.Uniform(new RandomSource(5), o.ParameterCount));
        o.Step(PolicyParameterGroups.All);
        using var before = new MemoryStream();
        o.SaveState(before);
        using var wrong = new MemoryStream();
        p.SaveState(wrong);
        wrong.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => o.LoadState(wrong));
        Assert.That(e!.Message, Does.Contain("head"));
        using var after = new MemoryStream();
        o.SaveState(after);
        Assert.That(after.ToArray(), Is.EqualTo(before.ToArray()));
    }

    [Test]
    public void Settings_OutOfRange_ThrowNamingTheSetting()
    {
        using var torchPolicy = CrossEngine.Torch("mlp", M, A);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => torchPolicy.CreateOptimizer(new PolicyOptimizerSettings { Beta1 = 1 }));
        Assert.That(e!.ParamName, Is.EqualTo("Beta1"));
        using var o = torchPolicy.CreateOptimizer(Settings);
        Assert.Throws<ArgumentOutOfRangeException>(() => o.LearningRate = double.NaN);
        o.LearningRate = 0.5;
        Assert.That(o.LearningRate, Is.EqualTo(0.5));
        Assert.Throws<ArgumentException>(() => o.CopyGradientsFrom(new float[3]));
    }

    private static int CountCritic(IMetaPolicy policy)
    {
        var archive = InterchangeArchive.Of(policy);
        return archive.TensorNames.Where(n => n.StartsWith("critic.", StringComparison.Ordinal)).Sum(n => archive.GetData(n).Length);
    }
}
