using RL3.Core.Nn.Optim;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Policies;

public sealed class AdamPolicyOptimizerTests
{
    private static MlpPolicy Policy(ulong seed = 1) => new(new PolicyShape(5, 3), new MlpPolicyOptions { HiddenSize = 6, Seed = seed });

    private static PolicyOptimizerSettings Settings() => new() { LearningRate = 1e-2, CriticWeightDecay = 0.01 };

    /// <summary>Fills every gradient with a fresh backward pass of random loss derivatives.</summary>
    private static void Backward(IMetaPolicy policy, IPolicyOptimizer optimizer, RandomSource rng)
    {
        const int B = 2, T = 4;
        var obs = PolicyTestKit.RandomObservations(rng, B * T * policy.ObservationSize);
        var act = new int[B * T];
        var g = PolicyTestKit.RandomObservations(rng, B * T);
        var lp = new float[B * T];
        var ent = new float[B * T];
        var v = new float[B * T];
        policy.EvaluateSequences(obs, act, B, T, lp, ent, v);
        optimizer.ZeroGrad();
        policy.BackwardSequences(g, g, g);
    }

    private static float[] Flat(IPolicyOptimizer optimizer)
    {
        var values = new float[optimizer.ParameterCount];
        optimizer.CopyParametersTo(values);
        return values;
    }

    [Test]
    public void Step_EqualsAnAdamPerNetworkWithClipping_BitForBit()
    {
        // The update the trainer made before the policy owned its optimiser: an Adam for the actor, an Adam with coupled
        // weight decay for the critic, each network's gradients clipped to the same norm.
        using var a = Policy();
        using var b = Policy();
        using var optimizer = a.CreateOptimizer(Settings());
        IInHousePolicy inHouse = b;
        using var actorAdam = new Adam(inHouse.ActorParameters, new AdamOptions { LearningRate = 1e-2 });
        using var criticAdam = new Adam(inHouse.CriticParameters, new AdamOptions { LearningRate = 1e-2, WeightDecay = 0.01, WeightDecayMode = WeightDecayMode.CoupledL2 });
        using var reference = b.CreateOptimizer(Settings()); // used only for ZeroGrad and the flat copy
        var rngA = new RandomSource(3);
        var rngB = new RandomSource(3);
        for (int step = 0; step < 4; step++)
        {
            bool actor = step != 2;
            Backward(a, optimizer, rngA);
            Backward(b, reference, rngB);
            Assert.That(optimizer.GradientNorm(PolicyParameterGroups.Critic), Is.EqualTo(GradientClipping.GlobalNorm(inHouse.CriticParameters.Select(p => p.Value))));
            optimizer.ClipGradientNorm(PolicyParameterGroups.Actor, 0.05);
            optimizer.ClipGradientNorm(PolicyParameterGroups.Critic, 0.05);
            GradientClipping.ClipByGlobalNorm(inHouse.ActorParameters.Select(p => p.Value).ToArray(), 0.05);
            GradientClipping.ClipByGlobalNorm(inHouse.CriticParameters.Select(p => p.Value).ToArray(), 0.05);
            optimizer.Step(actor ? PolicyParameterGroups.All : PolicyParameterGroups.Critic);
            if (actor)
            {
                actorAdam.Step();
            }

            criticAdam.Step();
            Assert.That(Flat(optimizer), Is.EqualTo(Flat(reference)), $"step {step}");
        }
    }

    [Test]
    public void StepCritic_LeavesTheActorUnchanged()
    {
        using var policy = Policy();
        using var optimizer = policy.CreateOptimizer(Settings());
        IInHousePolicy inHouse = policy;
        int actorCount = inHouse.ActorParameters.Sum(p => p.Value.Length);
        var before = Flat(optimizer);
        Backward(policy, optimizer, new RandomSource(1));
        optimizer.Step(PolicyParameterGroups.Critic);
        var after = Flat(optimizer);
        Assert.That(after[..actorCount], Is.EqualTo(before[..actorCount]));
        Assert.That(after[actorCount..], Is.Not.EqualTo(before[actorCount..]));
    }

    [Test]
    public void FlatCopies_RoundTrip_InActorThenCriticOrder()
    {
        using var policy = Policy();
        using var optimizer = policy.CreateOptimizer(Settings());
        IInHousePolicy inHouse = policy;
        var expected = inHouse.ActorParameters.Concat(inHouse.CriticParameters).SelectMany(p => p.Value.Value.Span.ToArray()).ToArray();
        Assert.That(optimizer.ParameterCount, Is.EqualTo(expected.Length));
        Assert.That(Flat(optimizer), Is.EqualTo(expected));

        Backward(policy, optimizer, new RandomSource(2));
        var gradients = new float[optimizer.ParameterCount];
        optimizer.CopyGradientsTo(gradients);
        Assert.That(gradients, Is.EqualTo(inHouse.ActorParameters.Concat(inHouse.CriticParameters).SelectMany(p => p.Value.Gradient.Span.ToArray()).ToArray()));
        var doubled = gradients.Select(g => 2 * g).ToArray();
        optimizer.CopyGradientsFrom(doubled);
        optimizer.CopyGradientsTo(gradients);
        Assert.That(gradients, Is.EqualTo(doubled));
        Assert.That(optimizer.GradientNorm(PolicyParameterGroups.All), Is.GreaterThan(0));

        var values = Enumerable.Range(0, optimizer.ParameterCount).Select(i => i * 1e-3f).ToArray();
        optimizer.CopyParametersFrom(values);
        Assert.That(Flat(optimizer), Is.EqualTo(values));
    }

    [Test]
    public void FlatCopies_WrongLength_ThrowNamingTheArgument()
    {
        using var policy = Policy();
        using var optimizer = policy.CreateOptimizer(Settings());
        var ex = Assert.Throws<ArgumentException>(() => optimizer.CopyGradientsTo(new float[optimizer.ParameterCount - 1]));
        Assert.That(ex!.ParamName, Is.EqualTo("destination"));
        ex = Assert.Throws<ArgumentException>(() => optimizer.CopyParametersFrom(new float[optimizer.ParameterCount + 1]));
        Assert.That(ex!.ParamName, Is.EqualTo("source"));
    }

    [Test]
    public void SaveStateLoadState_ContinuesBitForBit()
    {
        using var a = Policy();
        using var b = Policy(seed: 2);
        using var optA = a.CreateOptimizer(Settings());
        using var optB = b.CreateOptimizer(Settings());
        Backward(a, optA, new RandomSource(4));
        optA.Step(PolicyParameterGroups.All);
        optA.Step(PolicyParameterGroups.Critic);

        using var weights = new MemoryStream();
        a.Save(weights);
        weights.Position = 0;
        b.Load(weights);
        using var state = new MemoryStream();
        optA.SaveState(state);
        state.Position = 0;
        optB.LoadState(state);

        Backward(a, optA, new RandomSource(5));
        Backward(b, optB, new RandomSource(5));
        optA.Step(PolicyParameterGroups.All);
        optB.Step(PolicyParameterGroups.All);
        Assert.That(Flat(optB), Is.EqualTo(Flat(optA)));
    }

    [Test]
    public void LoadState_OfAnotherShape_ThrowsAndChangesNothing()
    {
        using var small = Policy();
        using var other = new MlpPolicy(new PolicyShape(5, 3), new MlpPolicyOptions { HiddenSize = 7, Seed = 1 });
        using var optimizer = small.CreateOptimizer(Settings());
        using var foreign = other.CreateOptimizer(Settings());
        Backward(small, optimizer, new RandomSource(6));
        optimizer.Step(PolicyParameterGroups.All);
        using var before = new MemoryStream();
        optimizer.SaveState(before);

        using var state = new MemoryStream();
        foreign.SaveState(state);
        state.Position = 0;
        Assert.Throws<InvalidDataException>(() => optimizer.LoadState(state));
        Assert.Throws<InvalidDataException>(() => optimizer.LoadState(new MemoryStream([1, 2, 3])));
        using var after = new MemoryStream();
        optimizer.SaveState(after);
        Assert.That(after.ToArray(), Is.EqualTo(before.ToArray()));
    }

    [TestCase(nameof(PolicyOptimizerSettings.LearningRate), -1.0)]
    [TestCase(nameof(PolicyOptimizerSettings.Beta1), 1.0)]
    [TestCase(nameof(PolicyOptimizerSettings.Beta2), -0.1)]
    [TestCase(nameof(PolicyOptimizerSettings.Epsilon), 0.0)]
    [TestCase(nameof(PolicyOptimizerSettings.CriticWeightDecay), double.NaN)]
    public void CreateOptimizer_SettingOutOfRange_ThrowsNamingIt(string name, double value)
    {
        using var policy = Policy();
        var settings = Settings();
        typeof(PolicyOptimizerSettings).GetProperty(name)!.SetValue(settings, value);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => policy.CreateOptimizer(settings));
        Assert.That(ex!.ParamName, Is.EqualTo(name));
        Assert.That(ex.Message, Does.Contain(name));
    }

    [Test]
    public void LearningRate_SetsBothGroups_AndRejectsNegative()
    {
        using var policy = Policy();
        using var optimizer = policy.CreateOptimizer(Settings());
        optimizer.LearningRate = 0;
        var before = Flat(optimizer);
        Backward(policy, optimizer, new RandomSource(7));
        optimizer.Step(PolicyParameterGroups.All);
        Assert.That(Flat(optimizer), Is.EqualTo(before));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1);
    }
}
