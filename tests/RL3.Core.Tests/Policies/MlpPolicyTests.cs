using RL3.Core.Policies;

namespace RL3.Core.Tests.Policies;

public sealed class MlpPolicyTests
{
    private static readonly PolicyShape Shape = new(5, 3);

    private static MlpPolicyOptions Small(ulong seed = 1) => new()
    {
        HiddenSize = 6,
        Seed = seed,
    };

    [Test]
    public void Act_WithResets_EqualsSequenceEvaluation()
    {
        using var policy = new MlpPolicy(Shape, Small());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy);
    }

    [Test]
    public void BackwardSequences_MatchesFiniteDifferences()
    {
        using var policy = new MlpPolicy(Shape, Small());
        PolicyTestKit.BackwardMatchesFiniteDifferences(policy);
    }

    [Test]
    public void Constructor_SameSeed_IsDeterministic() => PolicyTestKit.SameSeedIsDeterministic(s => new MlpPolicy(Shape, Small(s)));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical() => PolicyTestKit.SaveLoadRoundTripIsBitIdentical(s => new MlpPolicy(Shape, Small(s)));

    [Test]
    public void Act_SteadyState_AllocatesNothing()
    {
        using var policy = new MlpPolicy(Shape, Small());
        PolicyTestKit.ActIsAllocationFreeInSteadyState(policy);
    }

    [Test]
    public void Act_BadArguments_AreRejectedNamingTheParameter()
    {
        using var policy = new MlpPolicy(Shape, Small());
        using var other = new MlpPolicy(Shape, Small());
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.HiddenLayers = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MlpPolicy(Shape, o));
        Assert.That(e!.Message, Does.Contain("MlpPolicyOptions.HiddenLayers").And.Contain("[1, 64]"));
    }
}
