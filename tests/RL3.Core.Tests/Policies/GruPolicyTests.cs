using RL3.Core.Policies;

namespace RL3.Core.Tests.Policies;

public sealed class GruPolicyTests
{
    private static readonly PolicyShape Shape = new(5, 3);

    private static GruPolicyOptions Small(ulong seed = 1) => new()
    {
        EmbeddingSize = 6,
        HiddenSize = 7,
        Seed = seed,
    };

    [Test]
    public void Act_SlotsAtDifferentPositionsWithResets_EqualsSequenceEvaluation()
    {
        using var policy = new GruPolicy(Shape, Small());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy);
    }

    [Test]
    public void Act_DefaultArchitecture_EqualsSequenceEvaluation()
    {
        using var policy = new GruPolicy(new PolicyShape(17, 5), new GruPolicyOptions());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy, steps: 10);
    }

    [Test]
    public void Parallel_ActEvaluateBackward_BitIdenticalToSerial()
    {
        using var serial = new GruPolicy(Shape, Small(3));
        var o = Small(3);
        o.MaxDegreeOfParallelism = 2;
        using var parallel = new GruPolicy(Shape, o);
        PolicyTestKit.ParallelIsBitIdenticalToSerial(serial, parallel);
    }

    [Test]
    public void BackwardSequences_MatchesFiniteDifferences()
    {
        using var policy = new GruPolicy(Shape, Small());
        PolicyTestKit.BackwardMatchesFiniteDifferences(policy);
    }

    [Test]
    public void Constructor_SameSeed_IsDeterministic() => PolicyTestKit.SameSeedIsDeterministic(s => new GruPolicy(Shape, Small(s)));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical() => PolicyTestKit.SaveLoadRoundTripIsBitIdentical(s => new GruPolicy(Shape, Small(s)));

    [Test]
    public void Act_SteadyState_AllocatesNothing()
    {
        using var policy = new GruPolicy(Shape, Small());
        PolicyTestKit.ActIsAllocationFreeInSteadyState(policy);
    }

    [Test]
    public void Act_BadArguments_AreRejectedNamingTheParameter()
    {
        using var policy = new GruPolicy(Shape, Small());
        using var other = new GruPolicy(Shape, Small());
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
    }

    [Test]
    public void Parameters_ActorAndCritic_AreDisjoint()
    {
        using var policy = new GruPolicy(Shape, Small());
        PolicyTestKit.ActorAndCriticParametersAreDisjoint(policy);
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.HiddenSize = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GruPolicy(Shape, o));
        Assert.That(e!.Message, Does.Contain("GruPolicyOptions.HiddenSize"));
    }
}
