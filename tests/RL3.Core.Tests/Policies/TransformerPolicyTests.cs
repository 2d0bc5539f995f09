using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Policies;

public sealed class TransformerPolicyTests
{
    private static TransformerPolicyOptions Small(ulong seed = 1, int context = 16) => new()
    {
        ObservationSize = 5,
        ActionCount = 3,
        ContextLength = context,
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
        using var policy = new TransformerPolicy(Small());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy, steps: 14);
    }

    [Test]
    public void Act_DefaultArchitecture_EqualsSequenceEvaluation()
    {
        using var policy = new TransformerPolicy(new TransformerPolicyOptions { ObservationSize = 17, ActionCount = 5, ContextLength = 40 });
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy, steps: 12, tolerance: 2e-4f);
    }

    [Test]
    public void Parallel_ActEvaluateBackward_BitIdenticalToSerial()
    {
        using var serial = new TransformerPolicy(Small(3, 32));
        var o = Small(3, 32);
        o.MaxDegreeOfParallelism = 4;
        using var parallel = new TransformerPolicy(o);
        PolicyTestKit.ParallelIsBitIdenticalToSerial(serial, parallel);
    }

    [Test]
    public void BackwardSequences_MatchesFiniteDifferences()
    {
        using var policy = new TransformerPolicy(Small());
        PolicyTestKit.BackwardMatchesFiniteDifferences(policy);
    }

    [Test]
    public void Constructor_SameSeed_IsDeterministic() => PolicyTestKit.SameSeedIsDeterministic(s => new TransformerPolicy(Small(s)));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical() => PolicyTestKit.SaveLoadRoundTripIsBitIdentical(s => new TransformerPolicy(Small(s)));

    [Test]
    public void Act_SteadyState_AllocatesNothing()
    {
        using var policy = new TransformerPolicy(Small());
        PolicyTestKit.ActIsAllocationFreeInSteadyState(policy);
    }

    [Test]
    public void Act_BadArguments_AreRejectedNamingTheParameter()
    {
        using var policy = new TransformerPolicy(Small());
        using var other = new TransformerPolicy(Small());
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
    }

    [Test]
    public void Parameters_ActorAndCritic_AreDisjoint()
    {
        using var policy = new TransformerPolicy(Small());
        PolicyTestKit.ActorAndCriticParametersAreDisjoint(policy);
    }

    [Test]
    public void Act_BeyondContextLength_ThrowsNamingState()
    {
        using var policy = new TransformerPolicy(Small(context: 3));
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
        using var policy = new TransformerPolicy(Small(context: 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => policy.EvaluateSequences(new float[20], new int[4], 1, 4, new float[4], new float[4], new float[4]));
        Assert.That(e!.ParamName, Is.EqualTo("steps"));
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.Heads = 3;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerPolicy(o));
        Assert.That(e!.Message, Does.Contain("TransformerPolicyOptions.Heads"));
        var o2 = Small();
        o2.ObservationSize = 0;
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerPolicy(o2));
        Assert.That(e2!.Message, Does.Contain("TransformerPolicyOptions.ObservationSize").And.Contain("[1, 65536]"));
    }
}
