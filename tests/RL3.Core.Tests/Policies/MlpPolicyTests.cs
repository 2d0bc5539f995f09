using RL3.Core.Policies;

namespace RL3.Core.Tests.Policies;

public sealed class MlpPolicyTests
{
    private static MlpPolicyOptions Small(ulong seed = 1) => new()
    {
        ObservationSize = 5,
        ActionCount = 3,
        HiddenSize = 6,
        Seed = seed,
    };

    [Test]
    public void Act_WithResets_EqualsSequenceEvaluation()
    {
        using var policy = new MlpPolicy(Small());
        PolicyTestKit.IncrementalActingEqualsSequenceEvaluation(policy);
    }

    [Test]
    public void BackwardSequences_MatchesFiniteDifferences()
    {
        using var policy = new MlpPolicy(Small());
        PolicyTestKit.BackwardMatchesFiniteDifferences(policy);
    }

    [Test]
    public void Constructor_SameSeed_IsDeterministic() => PolicyTestKit.SameSeedIsDeterministic(s => new MlpPolicy(Small(s)));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical() => PolicyTestKit.SaveLoadRoundTripIsBitIdentical(s => new MlpPolicy(Small(s)));

    [Test]
    public void Act_SteadyState_AllocatesNothing()
    {
        using var policy = new MlpPolicy(Small());
        PolicyTestKit.ActIsAllocationFreeInSteadyState(policy);
    }

    [Test]
    public void Act_BadArguments_AreRejectedNamingTheParameter()
    {
        using var policy = new MlpPolicy(Small());
        using var other = new MlpPolicy(Small());
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
    }

    [Test]
    public void Constructor_InvalidOption_NamesTheField()
    {
        var o = Small();
        o.HiddenLayers = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MlpPolicy(o));
        Assert.That(e!.Message, Does.Contain("MlpPolicyOptions.HiddenLayers").And.Contain("[1, 64]"));
    }
}
