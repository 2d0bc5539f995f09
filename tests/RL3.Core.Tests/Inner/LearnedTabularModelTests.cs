using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class LearnedTabularModelTests
{
    private static LearnedTabularModel SmallFixedModel()
    {
        // S = 3 (fixed), A = 2, λ = 0.1. (0,0) → 1 twice (rewards 1 and 4), → 2 once (reward 2); then 1 → 2 absorbing.
        var m = new LearnedTabularModel(stateCapacity: 5, actionCount: 2, laplaceSmoothing: 0.1);
        m.Reset(3);
        m.Add(new InnerTransition(0, 0, 1.0, 1, false, true));
        m.Add(new InnerTransition(0, 0, 4.0, 1, false, false));
        m.Add(new InnerTransition(0, 0, 2.0, 2, false, false));
        m.Add(new InnerTransition(1, 1, 5.0, 2, true, false));
        return m;
    }

    [Test]
    public void TransitionProbability_VisitedPair_IsLaplaceSmoothedByHand()
    {
        var m = SmallFixedModel();

        // D = N(0,0) + λ n_s = 3 + 0.1·3 = 3.3.
        Assert.That(m.TransitionProbability(0, 0, 1), Is.EqualTo(2.1 / 3.3).Within(1e-15));
        Assert.That(m.TransitionProbability(0, 0, 2), Is.EqualTo(1.1 / 3.3).Within(1e-15));
        Assert.That(m.TransitionProbability(0, 0, 0), Is.EqualTo(0.1 / 3.3).Within(1e-15));
        Assert.That(m.Reward(0, 0, 1), Is.EqualTo(2.5));
        Assert.That(m.Reward(0, 0, 2), Is.EqualTo(2.0));
        Assert.That(m.Reward(0, 0, 0), Is.EqualTo(0.0));
        Assert.That(m.Count(0, 0), Is.EqualTo(3));
        Assert.That(m.Count(0, 0, 1), Is.EqualTo(2));
    }

    [Test]
    public void TransitionProbability_UnvisitedPair_IsUniformOverKnownStates()
    {
        var m = SmallFixedModel();
        Assert.That(m.TransitionProbability(0, 1, 0), Is.EqualTo(1.0 / 3));
        Assert.That(m.TransitionProbability(0, 1, 2), Is.EqualTo(1.0 / 3));
        Assert.That(m.Reward(0, 1, 2), Is.EqualTo(0.0));
        Assert.That(m.TransitionStandardError(0, 1, 2), Is.EqualTo(Math.Sqrt(1.0 / 12)));
    }

    [Test]
    public void TransitionProbability_AbsorbingState_IsSelfLoopWithZeroReward()
    {
        var m = SmallFixedModel();
        Assert.That(m.IsAbsorbing(2), Is.True);
        Assert.That(m.TransitionProbability(2, 0, 2), Is.EqualTo(1.0));
        Assert.That(m.TransitionProbability(2, 0, 0), Is.EqualTo(0.0));
        Assert.That(m.TransitionProbability(2, 1, 1), Is.EqualTo(0.0));
        Assert.That(m.Reward(2, 0, 2), Is.EqualTo(0.0));
    }

    [Test]
    public void StandardErrors_SmallModel_MatchHandComputation()
    {
        var m = SmallFixedModel();

        // Rewards {1, 4}: population std 1.5, SE_R = 1.5 / √(2−1) = 1.5. One observation → prior 1.
        Assert.That(m.RewardStandardError(0, 0, 1), Is.EqualTo(1.5).Within(1e-15));
        Assert.That(m.RewardStandardError(0, 0, 2), Is.EqualTo(1.0));
        Assert.That(m.RewardStandardError(0, 0, 0), Is.EqualTo(1.0));

        // SE_T = √(p(1−p)/3.3) with p = 2.1/3.3.
        double p = 2.1 / 3.3;
        Assert.That(m.TransitionStandardError(0, 0, 1), Is.EqualTo(Math.Sqrt(p * (1 - p) / 3.3)).Within(1e-15));
    }

    [Test]
    public void KnownStates_DiscoveredMode_GrowInFirstVisitOrder()
    {
        var m = new LearnedTabularModel(10, 2, 0.1);
        m.Reset(0);
        Assert.That(m.KnownStateCount, Is.EqualTo(0));
        m.Add(new InnerTransition(0, 1, -1, 1, false, true));
        m.Add(new InnerTransition(1, 0, -1, 2, false, false));
        Assert.That(m.KnownStates.ToArray(), Is.EqualTo(new[] { 0, 1, 2 }));

        // n_s = 3 → D = 1 + 0.3; the unvisited pair spreads 1/3 over the known rows only.
        Assert.That(m.TransitionProbability(0, 1, 1), Is.EqualTo(1.1 / 1.3).Within(1e-15));
        Assert.That(m.TransitionProbability(0, 1, 2), Is.EqualTo(0.1 / 1.3).Within(1e-15));
        Assert.That(m.TransitionProbability(2, 0, 0), Is.EqualTo(1.0 / 3));
        Assert.That(m.TransitionProbability(2, 0, 5), Is.EqualTo(0.0));
    }

    [Test]
    public void TransitionProbability_RandomModels_RowsSumToOne()
    {
        var m = new LearnedTabularModel(30, 4, 0.01);
        m.Reset(0);
        foreach (var t in InnerTestData.RandomSequence(5, 400, 0, 30, 4))
        {
            m.Add(t);
        }

        foreach (int s in m.KnownStates.ToArray())
        {
            for (int a = 0; a < 4; a++)
            {
                double sum = 0;
                foreach (int next in m.KnownStates.ToArray())
                {
                    sum += m.TransitionProbability(s, a, next);
                }

                Assert.That(sum, Is.EqualTo(1.0).Within(1e-12), $"s={s} a={a}");
            }
        }
    }

    [Test]
    public void Add_BadTransition_ThrowsAndLeavesModelUnchanged()
    {
        var m = SmallFixedModel();
        long before = m.TransitionCount;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(new InnerTransition(3, 0, 1, 0, false, false)));
        Assert.That(ex!.ParamName, Is.EqualTo("transition"));
        Assert.That(ex.Message, Does.Contain("transition.State").And.Contain("[0, 3)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(new InnerTransition(0, 2, 1, 0, false, false)));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(new InnerTransition(0, 0, double.NaN, 0, false, false)));
        Assert.That(m.TransitionCount, Is.EqualTo(before));
        Assert.That(m.Count(0, 0), Is.EqualTo(3));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LearnedTabularModel(0, 2, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LearnedTabularModel(2, 0, 0.1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LearnedTabularModel(2, 2, -0.1));
        Assert.That(ex!.ParamName, Is.EqualTo("laplaceSmoothing"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedTabularModel(2, 2, 0.1).Reset(3));
    }

    [Test]
    public void Add_BeyondInitialSuccessorCapacity_Grows()
    {
        var m = new LearnedTabularModel(20, 2, 0.1, successorCapacity: 1);
        m.Reset(20);
        for (int next = 0; next < 20; next++)
        {
            m.Add(new InnerTransition(next % 3, next % 2, next, next, false, false));
        }

        Assert.That(m.ObservedTripleCount, Is.EqualTo(20));
        Assert.That(m.Reward(5 % 3, 5 % 2, 5), Is.EqualTo(5.0));
    }
}
