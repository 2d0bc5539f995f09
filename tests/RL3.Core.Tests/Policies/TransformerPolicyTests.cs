using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Policies;

public sealed class TransformerPolicyTests
{
    private static PolicyShape Shape(int context = 16) => new(5, 3, context);

    private static TransformerPolicyOptions Small(ulong seed = 1) => new()
    {
        EmbeddingHiddenSize = 12,
        ModelDim = 8,
        Heads = 2,
        FeedForwardDim = 12,
        Layers = 2,
        Seed = seed,
    };

    [Test]
    public void Act_SlotsAtDifferentPositionsWithResets_EqualsSequenceEvaluation()
    {
        using var policy = new TransformerPolicy(Shape(), Small());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy, steps: 14);
    }

    [Test]
    public void Act_DefaultArchitecture_EqualsSequenceEvaluation()
    {
        using var policy = new TransformerPolicy(new PolicyShape(17, 5, 40), new TransformerPolicyOptions ());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy, steps: 12, tolerance: 2e-4f);
    }

    [Test]
    public void Parallel_ActEvaluateBackward_BitIdenticalToSerial()
    {
        using var serial = new TransformerPolicy(Shape(32), Small(3));
        var o = Small(3);
        o.MaxDegreeOfParallelism = 4;
        using var parallel = new TransformerPolicy(Shape(32), o);
        PolicyTestKit.ParallelIsBitIdenticalToSerial(serial, parallel);
    }

    [Test]
    public void BackwardSequences_MatchesFiniteDifferences()
    {
        using var policy = new TransformerPolicy(Shape(), Small());
        PolicyTestKit.BackwardMatchesFiniteDifferences(policy);
    }

    [Test]
    public void Constructor_SameSeed_IsDeterministic() => PolicyTestKit.SameSeedIsDeterministic(s => new TransformerPolicy(Shape(), Small(s)));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical() => PolicyTestKit.SaveLoadRoundTripIsBitIdentical(s => new TransformerPolicy(Shape(), Small(s)));

    [Test]
    public void Act_SteadyState_AllocatesNothing()
    {
        using var policy = new TransformerPolicy(Shape(), Small());
        PolicyTestKit.ActIsAllocationFreeInSteadyState(policy);
    }

    [Test]
    public void Act_BadArguments_AreRejectedNamingTheParameter()
    {
        using var policy = new TransformerPolicy(Shape(), Small());
        using var other = new TransformerPolicy(Shape(), Small());
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
    }

    [Test]
    public void Parameters_ActorAndCritic_AreDisjoint()
    {
        using var policy = new TransformerPolicy(Shape(), Small());
        PolicyTestKit.ActorAndCriticParametersAreDisjoint(policy);
    }

    [Test]
    public void Act_BeyondContextLength_ThrowsNamingState()
    {
        using var policy = new TransformerPolicy(Shape(3), Small());
        var state = policy.CreateState(2);
        var rng = new RandomSource(2);
        var obs = new float[10];
        var a = new int[2];
        var l = new float[2];
        var v = new float[2];
        for (int t = 0; t < 3; t++)
        {
            policy.Act(state, obs, ActionSelection.Sample, rng, a, l, v);
        }

        var e = Assert.Throws<ArgumentException>(() => policy.Act(state, obs, ActionSelection.Sample, rng, a, l, v));
        Assert.That(e!.ParamName, Is.EqualTo("state"));
        Assert.That(e.Message, Does.Contain("ContextLength"));
        state.Reset(0);
        state.Reset(1);
        Assert.DoesNotThrow(() => policy.Act(state, obs, ActionSelection.Greedy, null, a, l, v));
    }

    [Test]
    public void EvaluateSequences_LongerThanContext_ThrowsNamingSteps()
    {
        using var policy = new TransformerPolicy(Shape(3), Small());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => policy.EvaluateSequences(new float[20], new int[4], 1, 4, new float[4], new float[4], new float[4]));
        Assert.That(e!.ParamName, Is.EqualTo("steps"));
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.Heads = 3;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerPolicy(Shape(), o));
        Assert.That(e!.Message, Does.Contain("TransformerPolicyOptions.Heads"));
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerPolicy(new PolicyShape(0, 3, 16), Small()));
        Assert.That(e2!.Message, Does.Contain("PolicyShape.ObservationSize").And.Contain("[1, 65536]"));
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerPolicy(new PolicyShape(5, 3), Small()));
        Assert.That(e3!.Message, Does.Contain("PolicyShape.ContextLength").And.Contain("[1, 1048576]"));
    }
}
