using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class TabularQLearningTests
{
    [Test]
    public void Observe_SmallChain_ConvergesToOptimalQ()
    {
        // Chain 0 → 1 → 2 (goal, absorbing). Action 0 moves right (reward 1 on entering the goal, else 0),
        // action 1 stays (reward 0). γ = 0.9: Q*(1,0) = 1, Q*(1,1) = 0.9, Q*(0,0) = 0.9, Q*(0,1) = 0.81.
        var ql = new TabularQLearning(3, 2, new TabularQLearningOptions { LearningRate = 0.5, Gamma = 0.9 });
        ql.Reset(3);
        for (int episode = 0; episode < 400; episode++)
        {
            ql.Observe(new InnerTransition(0, 1, 0, 0, false, true));
            ql.Observe(new InnerTransition(0, 0, 0, 1, false, false));
            ql.Observe(new InnerTransition(1, 1, 0, 1, false, false));
            ql.Observe(new InnerTransition(1, 0, 1, 2, true, false));
        }

        var q = new double[2];
        var se = new double[2];
        var n = new double[2];
        Assert.That(ql.Estimate(1, q, se, n).Value, Is.EqualTo(1.0).Within(1e-9));
        Assert.That(q, Is.EqualTo(new[] { 1.0, 0.9 }).Within(1e-9));
        Assert.That(n, Is.EqualTo(new[] { 400.0, 400.0 }));
        Assert.That(se, Is.EqualTo(new double[2]));
        ql.Estimate(0, q, se, n);
        Assert.That(q, Is.EqualTo(new[] { 0.9, 0.81 }).Within(1e-9));
    }

    [Test]
    public void Observe_AbsorbingNextState_TargetIsReward()
    {
        var ql = new TabularQLearning(2, 1, new TabularQLearningOptions { LearningRate = 1.0, Gamma = 0.9, InitialValue = 5 });
        ql.Reset(2);
        ql.Observe(new InnerTransition(0, 0, 2.0, 1, true, true));
        var q = new double[1];
        ql.Estimate(0, q, new double[1], new double[1]);
        Assert.That(q[0], Is.EqualTo(2.0));

        // Not absorbing: target r + γ max Q(s') = 2 + 0.9·5.
        ql.Observe(new InnerTransition(0, 0, 2.0, 1, false, false));
        ql.Estimate(0, q, new double[1], new double[1]);
        Assert.That(q[0], Is.EqualTo(2 + 4.5).Within(1e-12));
    }

    [Test]
    public void Reset_RestoresInitialValue()
    {
        var ql = new TabularQLearning(2, 2, new TabularQLearningOptions { InitialValue = 3 });
        ql.Reset(0);
        ql.Observe(new InnerTransition(0, 0, -10, 1, false, true));
        ql.Reset(0);
        var q = new double[2];
        var n = new double[2];
        Assert.That(ql.Estimate(0, q, new double[2], n).Value, Is.EqualTo(3.0));
        Assert.That(q, Is.EqualTo(new[] { 3.0, 3.0 }));
        Assert.That(n, Is.EqualTo(new[] { 0.0, 0.0 }));
    }

    [Test]
    public void Observe_BadTransition_ThrowsAndLeavesEstimatorUnchanged()
    {
        var ql = new TabularQLearning(4, 2);
        ql.Reset(4);
        ql.Observe(new InnerTransition(0, 0, 1, 1, false, true));
        var q = new double[2];
        ql.Estimate(0, q, new double[2], new double[2]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ql.Observe(new InnerTransition(0, 2, 1, 1, false, false)));
        Assert.That(ex!.ParamName, Is.EqualTo("transition"));
        Assert.That(ex.Message, Does.Contain("transition.Action").And.Contain("[0, 2)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ql.Observe(new InnerTransition(0, 0, double.NaN, 1, false, false)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ql.Observe(new InnerTransition(0, 0, 1, 4, false, false)));
        var after = new double[2];
        var n = new double[2];
        ql.Estimate(0, after, new double[2], n);
        Assert.That(after, Is.EqualTo(q));
        Assert.That(n, Is.EqualTo(new[] { 1.0, 0.0 }));
        Assert.Throws<ArgumentException>(() => ql.Estimate(0, new double[3], new double[2], new double[2]));
    }

    [TestCase(nameof(TabularQLearningOptions.LearningRate), 0.0, "(0, 1]")]
    [TestCase(nameof(TabularQLearningOptions.LearningRate), 1.5, "(0, 1]")]
    [TestCase(nameof(TabularQLearningOptions.Gamma), -0.5, "[0, 1]")]
    [TestCase(nameof(TabularQLearningOptions.InitialValue), double.NaN, "finite")]
    public void Constructor_OptionOutOfRange_ThrowsNamingFieldAndRange(string field, double value, string range)
    {
        var options = new TabularQLearningOptions();
        typeof(TabularQLearningOptions).GetProperty(field)!.SetValue(options, value);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TabularQLearning(4, 2, options));
        Assert.That(ex!.Message, Does.Contain("TabularQLearningOptions." + field).And.Contain(range));
    }

    [Test]
    public void ObserveAndEstimate_SteadyState_AllocateNothing()
    {
        var ql = new TabularQLearning(80, 5);
        var sequence = InnerTestData.RandomSequence(3, 400, 0, 80, 5);
        var q = new double[5];
        var se = new double[5];
        var n = new double[5];
        var log = new long[6];
        for (int round = 0; round < log.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            ql.Reset(0);
            foreach (var t in sequence)
            {
                ql.Observe(t);
                ql.Estimate(t.NextState, q, se, n);
            }

            log[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.That(log, Is.All.EqualTo(0));
    }
}
