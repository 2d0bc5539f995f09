using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Evaluation;

public sealed class TaskOracleAgentTests
{
    [Test]
    public void Run_SwitchMdpWithTaskHorizon_EarnsHandComputedOptimum()
    {
        // TH = 3, H = 7: episodes of 3, 3 and 1 steps. From state 0 with 3 steps: switch (−0.5), then +1, +1 = 1.5;
        // with 1 step: stay (0) beats switching (−0.5). Total 1.5 + 1.5 + 0 = 3.
        Assert.That(Play(new SwitchMdpDistribution(3), 7), Is.EqualTo(3.0));

        // TH = 2, H = 4: switch (−0.5) then +1 per episode = 0.5 + 0.5.
        Assert.That(Play(new SwitchMdpDistribution(2), 4), Is.EqualTo(1.0));

        // TH = 1: every episode is one step from state 0; staying (0) is optimal.
        Assert.That(Play(new SwitchMdpDistribution(1), 5), Is.EqualTo(0.0));
    }

    [Test]
    public void Run_AbsorbingGoalWithoutTaskHorizon_ValuesTheRestart()
    {
        // The goal is 2 steps away and the task restarts after reaching it: H = 7 gives 3 goals.
        Assert.That(Play(new LineMdpDistribution(), 7), Is.EqualTo(3.0));
        Assert.That(Play(new LineMdpDistribution(), 1), Is.EqualTo(0.0));
    }

    [Test]
    public void Act_OnBandit_AlwaysPullsTheBestArm()
    {
        var distribution = new TestBanditDistribution(4);
        var factory = new TaskOracleAgentFactory();
        var env = factory.CreateEnvironment(distribution, 30);
        var task = (TestBanditTask)distribution.Sample(new RandomSource(9));
        var obs = new float[env.ObservationSize];
        env.Reset(task, new RandomSource(1), obs);
        var agent = factory.CreateAgent();
        agent.BeginMetaEpisode(env, new RandomSource(2));
        int best = Array.IndexOf(task.P, task.P.Max());
        for (int t = 0; t < 30; t++)
        {
            int a = agent.Act(obs);
            Assert.That(a, Is.EqualTo(best));
            var step = env.Step(a, obs);
            agent.Observe(a, step, obs);
        }
    }

    [Test]
    public void EnsureSupports_TasksWithoutTrueMdp_Throws() =>
        Assert.That(() => new TaskOracleAgentFactory().EnsureSupports(new ContinuousDistribution(), 10), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution").And.Message.Contains("ITabularMdp"));

    private static double Play(ITaskDistribution distribution, int budget)
    {
        var factory = new TaskOracleAgentFactory();
        factory.EnsureSupports(distribution, budget);
        var env = factory.CreateEnvironment(distribution, budget);
        return MetaEpisodeRunner.Run(env, factory.CreateAgent(), distribution.Sample(new RandomSource(0)), new RandomSource(1), new RandomSource(2), [], out _);
    }
}
