using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Meta;

public sealed class MetaEnvironmentTests
{
    private static MetaEnvironment Rl3(int budget = 10, int states = 4, int actions = 3, int taskHorizon = 0, double valueScale = 10, RecordingEstimator? estimator = null)
    {
        var distribution = new ChainDistribution(states, actions, taskHorizon);
        return new MetaEnvironment(
            distribution,
            new MetaEnvironmentOptions { InteractionBudget = budget, ValueScale = valueScale },
            estimator ?? new RecordingEstimator(actions, states),
            new IdentityIndexer(states));
    }

    [Test]
    public void Reset_WritesFlagAndZeros()
    {
        var env = new MetaEnvironment(new ChainDistribution(), new MetaEnvironmentOptions { InteractionBudget = 5 });
        var obs = new float[env.ObservationSize];
        obs.AsSpan().Fill(7f);
        env.Reset(new ChainTask(4, 3), new RandomSource(1), obs);

        // [a(3) | r | flag | t/H | tau/TH | onehot state(4)]
        Assert.That(obs, Is.EqualTo(new float[] { 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0 }));
    }

    [Test]
    public void Step_WritesPreviousActionRewardAndTimes()
    {
        var env = new MetaEnvironment(new ChainDistribution(taskHorizon: 4), new MetaEnvironmentOptions { InteractionBudget = 8 });
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(1), obs);
        var step = env.Step(2, obs);

        var layout = env.Layout;
        Assert.That(obs.AsSpan(0, 3).ToArray(), Is.EqualTo(new float[] { 0, 0, 1 }));
        Assert.That(obs[layout[ObservationLayout.PreviousReward].Offset], Is.EqualTo((float)step.Reward));
        Assert.That(obs[layout[ObservationLayout.NewMetaEpisode].Offset], Is.EqualTo(0f));
        Assert.That(obs[layout[ObservationLayout.MetaTime].Offset], Is.EqualTo(1f / 8));
        Assert.That(obs[layout[ObservationLayout.TaskEpisodeTime].Offset], Is.EqualTo(1f / 4));
        Assert.That(step.MetaEpisodeEnded, Is.False);
    }

    [Test]
    public void TaskHorizon_ResetsTauButNotTheFlag()
    {
        // Action 1 never moves: the task episode can only end by the task horizon TH = 3.
        var estimator = new RecordingEstimator(3, 4);
        var env = Rl3(budget: 7, taskHorizon: 3, estimator: estimator);
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(2), obs);
        var ended = new List<bool>();
        for (int i = 0; i < 7; i++)
        {
            var step = env.Step(1, obs);
            ended.Add(step.TaskEpisodeEnded);
            Assert.That(obs[env.Layout[ObservationLayout.NewMetaEpisode].Offset], Is.EqualTo(0f));
            Assert.That(obs[env.Layout[ObservationLayout.TaskEpisodeTime].Offset], Is.EqualTo(env.TaskEpisodeStepCount / 3f));
        }

        Assert.That(ended, Is.EqualTo(new[] { false, false, true, false, false, true, false }));
        Assert.That(estimator.Transitions.Select(t => t.EpisodeStart), Is.EqualTo(new[] { true, false, false, true, false, false, true }));
        Assert.That(estimator.Transitions.All(t => !t.Absorbing), Is.True);
        Assert.That(env.IsDone, Is.True);
    }

    [Test]
    public void Absorption_FeedsTerminalStateThenShowsStartState()
    {
        var estimator = new RecordingEstimator(2, 2);
        var env = Rl3(budget: 50, states: 2, actions: 2, estimator: estimator);
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(2, 2), new RandomSource(3), obs);
        int taskObs = env.Layout[ObservationLayout.TaskObservation].Offset;
        for (int i = 0; i < 50; i++)
        {
            var step = env.Step(0, obs);
            if (step.Absorbed)
            {
                var last = estimator.Transitions[^1];
                Assert.That(last.NextState, Is.EqualTo(1), "the estimator sees the terminal state");
                Assert.That(last.Absorbing, Is.True);
                Assert.That(obs[taskObs], Is.EqualTo(1f), "the observation shows the new start state");
                Assert.That(obs[taskObs + 1], Is.EqualTo(0f));
                Assert.That(step.TaskEpisodeEnded, Is.True);
                Assert.That(env.CurrentRow, Is.EqualTo(0));
                return;
            }
        }

        Assert.Fail("The chain never reached its absorbing state in 50 steps.");
    }

    [Test]
    public void InnerBlock_HoldsScaledEstimates()
    {
        var env = Rl3(budget: 10, valueScale: 10);
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(4), obs);
        env.Step(1, obs); // stays in state 0: one visit of (0, 1)

        var l = env.Layout;
        int s = env.CurrentRow;
        Assert.That(s, Is.EqualTo(0));
        // RecordingEstimator: Q(s,a) = 10 s + a, V = 10 s + 2, SE_Q = 0.5 a, SE_V = 1.
        Assert.That(obs.AsSpan(l[ObservationLayout.InnerAdvantage].Offset, 3).ToArray(), Is.EqualTo(new float[] { -0.2f, -0.1f, 0f }).Within(1e-6));
        Assert.That(obs[l[ObservationLayout.InnerValue].Offset], Is.EqualTo(0.2f).Within(1e-6));
        Assert.That(obs.AsSpan(l[ObservationLayout.InnerStandardErrorQ].Offset, 3).ToArray(), Is.EqualTo(new float[] { 0f, 0.05f, 0.1f }).Within(1e-6));
        Assert.That(obs[l[ObservationLayout.InnerStandardErrorValue].Offset], Is.EqualTo(0.1f).Within(1e-6));
        Assert.That(obs.AsSpan(l[ObservationLayout.InnerVisitCounts].Offset, 3).ToArray(), Is.EqualTo(new float[] { 0f, 0.1f, 0f }).Within(1e-6));
    }

    [Test]
    public void Reset_ResetsEstimatorWithIndexerStateCount()
    {
        var estimator = new RecordingEstimator(3, 4);
        var env = Rl3(estimator: estimator);
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(5), obs);
        env.Step(0, obs);
        env.Reset(new ChainTask(4, 3), new RandomSource(5), obs);
        Assert.That(estimator.ResetCount, Is.EqualTo(2));
        Assert.That(estimator.LastFixedStateCount, Is.EqualTo(4));
        Assert.That(estimator.Transitions, Is.Empty);
    }

    [Test]
    public void Step_ActionOutOfRange_ThrowsAndChangesNothing()
    {
        var env = Rl3();
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(6), obs);
        var before = (float[])obs.Clone();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3, obs));
        Assert.That(ex!.ParamName, Is.EqualTo("action"));
        Assert.That(ex.Message, Does.Contain("[0, 2]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(-1, obs));
        Assert.That(env.StepCount, Is.EqualTo(0));
        Assert.That(obs, Is.EqualTo(before));
    }

    [Test]
    public void Step_WrongSpanLength_ThrowsAndChangesNothing()
    {
        var env = Rl3();
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(6), obs);
        var ex = Assert.Throws<ArgumentException>(() => env.Step(0, new float[env.ObservationSize - 1]));
        Assert.That(ex!.ParamName, Is.EqualTo("observation"));
        Assert.That(env.StepCount, Is.EqualTo(0));
    }

    [Test]
    public void Step_AfterBudget_Throws()
    {
        var env = Rl3(budget: 2);
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(7), obs);
        env.Step(1, obs);
        Assert.That(env.Step(1, obs).MetaEpisodeEnded, Is.True);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(1, obs));
        Assert.That(ex!.Message, Does.Contain("H = 2"));
        Assert.That(env.StepCount, Is.EqualTo(2));
    }

    [Test]
    public void Step_BeforeReset_Throws()
    {
        var env = Rl3();
        Assert.Throws<InvalidOperationException>(() => env.Step(0, new float[env.ObservationSize]));
    }

    [Test]
    public void Step_NonFiniteReward_ThrowsAndKeepsCounters()
    {
        var env = Rl3();
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3, double.NaN, useOverride: true), new RandomSource(8), obs);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(1, obs));
        Assert.That(ex!.Message, Does.Contain("non-finite reward"));
        Assert.That(env.StepCount, Is.EqualTo(0));
    }

    [Test]
    public void Step_NonFiniteReward_NamesTheTaskIndex()
    {
        var env = Rl3();
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3, double.PositiveInfinity, useOverride: true), new RandomSource(8), obs, taskIndex: 41);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(2, obs));
        Assert.That(ex!.Message, Does.StartWith("Task 41 (ChainTask) returned a non-finite reward (Infinity) for action 2"));
    }

    [TestCase(float.NaN, "NaN")]
    [TestCase(float.PositiveInfinity, "Infinity")]
    [TestCase(float.NegativeInfinity, "-Infinity")]
    public void Step_TaskWritesNonFiniteObservation_ThrowsNamingTaskActionElementAndValue(float value, string shown)
    {
        var env = new MetaEnvironment(new FaultyDistribution(TaskFault.None, 0, 0), new MetaEnvironmentOptions { InteractionBudget = 5 });
        var obs = new float[env.ObservationSize];
        env.Reset(new FaultyTask(TaskFault.ObservationValue, faultStep: 2, element: 1, value), new RandomSource(1), obs, taskIndex: 12);
        env.Step(0, obs);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(1, obs));
        Assert.That(ex!.Message, Does.StartWith($"Task 12 (FaultyTask) wrote a non-finite observation in Step(action 1): element 1 of its 2-element observation is {shown}."));
        Assert.That(env.StepCount, Is.EqualTo(1));
    }

    [Test]
    public void Reset_TaskWritesNonFiniteObservation_ThrowsWithoutTaskIndexWhenNoneGiven()
    {
        var env = new MetaEnvironment(new FaultyDistribution(TaskFault.None, 0, 0), new MetaEnvironmentOptions { InteractionBudget = 5 });
        var obs = new float[env.ObservationSize];
        var ex = Assert.Throws<InvalidOperationException>(() => env.Reset(new FaultyTask(TaskFault.ObservationValue, faultStep: 0, element: 0), new RandomSource(1), obs));
        Assert.That(ex!.Message, Does.StartWith("The task (FaultyTask) wrote a non-finite observation in Reset at the start of the meta-episode: element 0 of its 2-element observation is NaN."));
    }

    [Test]
    public void Step_TaskWritesPastItsObservation_ThrowsNamingTaskAndSize()
    {
        var env = Rl2Faulty();
        var obs = new float[env.ObservationSize];
        env.Reset(new FaultyTask(TaskFault.ObservationOverrun, faultStep: 1), new RandomSource(1), obs, taskIndex: 3);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(0, obs));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.StartWith("Task 3 (FaultyTask) indexed out of range in Step(action 0). The observation span it was given has 2 elements (ITaskDistribution.ObservationSize)"));
            Assert.That(ex.InnerException, Is.InstanceOf<IndexOutOfRangeException>());
            Assert.That(env.StepCount, Is.EqualTo(0));
        });
    }

    [Test]
    public void Reset_TaskWritesPastItsObservation_ThrowsNamingTaskAndSize()
    {
        var env = Rl2Faulty();
        var ex = Assert.Throws<InvalidOperationException>(() => env.Reset(new FaultyTask(TaskFault.ObservationOverrun, faultStep: 0), new RandomSource(1), new float[env.ObservationSize], taskIndex: 0));
        Assert.That(ex!.Message, Does.StartWith("Task 0 (FaultyTask) indexed out of range in Reset at the start of the meta-episode. The observation span it was given has 2 elements"));
    }

    [Test]
    public void Reset_TaskIndexBelowMinusOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rl2Faulty().Reset(new FaultyTask(TaskFault.None, 0), new RandomSource(1), new float[8], taskIndex: -2));

    [Test]
    public void Step_FiniteObservations_AllocateNothing()
    {
        var env = Rl2Faulty();
        var obs = new float[env.ObservationSize];
        env.Reset(new FaultyTask(TaskFault.None, 0), new RandomSource(1), obs, taskIndex: 5);
        env.Step(0, obs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            env.Step(i & 1, obs);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static MetaEnvironment Rl2Faulty() =>
        new(new FaultyDistribution(TaskFault.None, 0, 0), new MetaEnvironmentOptions { InteractionBudget = 100 });

    [TestCase(0)]
    [TestCase(-5)]
    public void Options_BudgetBelowOne_Throws(int budget)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Rl3(budget: budget));
        Assert.That(ex!.ParamName, Is.EqualTo("InteractionBudget"));
        Assert.That(ex.Message, Does.Contain("at least 1"));
    }

    [Test]
    public void Options_NonPositiveValueScale_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Rl3(valueScale: 0));
        Assert.That(ex!.ParamName, Is.EqualTo("ValueScale"));
    }

    [Test]
    public void Constructor_EstimatorWithoutIndexer_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new MetaEnvironment(new ChainDistribution(), new MetaEnvironmentOptions(), new RecordingEstimator(3, 4)));
        Assert.That(ex!.ParamName, Is.EqualTo("indexer"));
    }

    [Test]
    public void Constructor_ActionCountMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new MetaEnvironment(new ChainDistribution(actions: 3), new MetaEnvironmentOptions(), new RecordingEstimator(2, 4), new IdentityIndexer(4)));
        Assert.That(ex!.ParamName, Is.EqualTo("estimator"));
    }

    [Test]
    public void Rl2Step_AllocatesNothing()
    {
        var env = new MetaEnvironment(new ChainDistribution(taskHorizon: 5), new MetaEnvironmentOptions { InteractionBudget = 100_000 });
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(9), obs);
        // Warm up past tiered compilation, which allocates on the first calls.
        AllocatedBytes(env, obs, 20_000);

        Assert.That(AllocatedBytes(env, obs, 10_000), Is.EqualTo(0));
    }

    private static long AllocatedBytes(MetaEnvironment env, float[] obs, int steps)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            env.Step(i % 3, obs);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void LastReachedStateIndex_IsTheStateBeforeTheEpisodeReset()
    {
        // Chain of 2 states: action 0 reaches the absorbing state 1 with probability 0.8; the task is then reset to 0.
        var env = new MetaEnvironment(new ChainDistribution(2, 2), new MetaEnvironmentOptions { InteractionBudget = 50 });
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(2, 2), new RandomSource(3), obs);
        Assert.That(env.LastReachedStateIndex, Is.EqualTo(-1));
        bool sawAbsorption = false;
        for (int t = 0; t < 50; t++)
        {
            var step = env.Step(0, obs);
            Assert.That(env.LastReachedStateIndex, Is.EqualTo(step.Absorbed ? 1 : 0));
            Assert.That(env.CurrentTask!.StateIndex, Is.EqualTo(0));
            sawAbsorption |= step.Absorbed;
        }

        Assert.That(sawAbsorption, Is.True);
        env.Reset(new ChainTask(2, 2), new RandomSource(3), obs);
        Assert.That(env.LastReachedStateIndex, Is.EqualTo(-1));
    }
}
