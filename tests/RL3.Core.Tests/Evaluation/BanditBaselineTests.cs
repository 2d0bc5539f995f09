using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Evaluation;

public sealed class Ucb1AgentTests
{
    [Test]
    public void ComputeScores_MatchHandComputedValues()
    {
        var agent = BanditAgents.Begin(new Ucb1AgentFactory(0.5), out _);
        // arm 0: 1, 0, 1 (mean 2/3, n 3); arm 1: 0 (n 1); arm 2: 1, 1 (mean 1, n 2); t = 6.
        BanditAgents.Feed(agent, (0, 1), (0, 0), (0, 1), (1, 0), (2, 1), (2, 1));
        var scores = new double[3];
        ((Ucb1Agent)agent).ComputeScores(scores);

        // ln 6 = 1.7917595; 2/3 + 0.5·√(ln6/3) = 1.0530774, 0 + 0.5·√(ln6) = 0.6692831, 1 + 0.5·√(ln6/2) = 1.4732546.
        Assert.That(scores[0], Is.EqualTo(1.0530774).Within(1e-6));
        Assert.That(scores[1], Is.EqualTo(0.6692831).Within(1e-6));
        Assert.That(scores[2], Is.EqualTo(1.4732546).Within(1e-6));
        Assert.That(agent.Act(default), Is.EqualTo(2));
    }

    [Test]
    public void Act_PullsEveryUntriedArmFirst()
    {
        var agent = BanditAgents.Begin(new Ucb1AgentFactory(), out _);
        BanditAgents.Feed(agent, (1, 1));
        var seen = new HashSet<int>();
        for (int i = 0; i < 2; i++)
        {
            int a = agent.Act(default);
            Assert.That(a, Is.Not.EqualTo(1));
            seen.Add(a);
            BanditAgents.Feed(agent, (a, 1));
        }

        Assert.That(seen, Is.EquivalentTo(new[] { 0, 2 }));
    }

    [Test]
    public void Constructor_NegativeOrNonFiniteC_Throws()
    {
        Assert.That(() => new Ucb1AgentFactory(-0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("explorationConstant").And.Message.Contains("≥ 0"));
        Assert.That(() => new Ucb1AgentFactory(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(new Ucb1AgentFactory().ExplorationConstant, Is.EqualTo(Math.Sqrt(2)));
    }

    [Test]
    public void EnsureSupports_NonBanditFamily_ThrowsNamingTheFamily()
    {
        var factory = new Ucb1AgentFactory();
        Assert.That(() => factory.EnsureSupports(new SwitchMdpDistribution(3), 10), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution").And.Message.Contains("bandit"));
        Assert.That(() => factory.EnsureSupports(new TestBanditDistribution(), 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("interactionBudget"));
        Assert.That(() => factory.EnsureSupports(null!, 10), Throws.ArgumentNullException);
    }
}

public sealed class ThompsonSamplingAgentTests
{
    [Test]
    public void Observe_UpdatesBetaPosterior()
    {
        var agent = (ThompsonSamplingAgent)BanditAgents.Begin(new ThompsonSamplingAgentFactory(), out _);
        BanditAgents.Feed(agent, (0, 1), (0, 0), (0, 1), (2, 0));
        Assert.That(agent.Posterior(0), Is.EqualTo((3.0, 2.0)));
        Assert.That(agent.Posterior(1), Is.EqualTo((1.0, 1.0)));
        Assert.That(agent.Posterior(2), Is.EqualTo((1.0, 2.0)));
    }

    [Test]
    public void Act_ChoosesArmsWithTheirPosteriorProbabilityOfBeingBest()
    {
        // Arm 0 ~ Beta(1+9, 1+1) = Beta(10, 2), arm 1 ~ Beta(1+1, 1+9) = Beta(2, 10): P(θ1 > θ0) is about 1e-4.
        var agent = BanditAgents.Begin(new ThompsonSamplingAgentFactory(), out _, arms: 2);
        for (int i = 0; i < 9; i++)
        {
            BanditAgents.Feed(agent, (0, 1), (1, 0));
        }

        BanditAgents.Feed(agent, (0, 0), (1, 1));
        int zeros = 0;
        for (int i = 0; i < 2000; i++)
        {
            zeros += agent.Act(default) == 0 ? 1 : 0;
        }

        Assert.That(zeros, Is.GreaterThanOrEqualTo(1995));

        // Equal posteriors: each arm about half the time.
        var fresh = BanditAgents.Begin(new ThompsonSamplingAgentFactory(), out _, arms: 2);
        int ones = 0;
        for (int i = 0; i < 4000; i++)
        {
            ones += fresh.Act(default);
        }

        Assert.That(ones, Is.InRange(1850, 2150));
    }

    [Test]
    public void Observe_NonBernoulliReward_Throws()
    {
        var agent = BanditAgents.Begin(new ThompsonSamplingAgentFactory(), out _);
        Assert.That(() => BanditAgents.Feed(agent, (0, 2.0)), Throws.InvalidOperationException.With.Message.Contains("Bernoulli"));
    }

    [Test]
    public void Constructor_BadPrior_Throws() =>
        Assert.That(() => new ThompsonSamplingAgentFactory(0, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("priorSuccesses"));
}

public sealed class GittinsIndexAgentTests
{
    [Test]
    public void Act_PicksLargestIndexForRemainingPulls()
    {
        var factory = new GittinsIndexAgentFactory();
        var agent = BanditAgents.Begin(factory, out var env, arms: 2, budget: 10);
        // arm 0: 1 success in 1 pull; arm 1: 3 successes, 2 failures; t = 6, r = 4.
        BanditAgents.Feed(agent, (0, 1), (1, 1), (1, 1), (1, 0), (1, 1), (1, 0));
        var table = factory.GetTable(10);
        int expected = table.GetIndex(1, 0, 4) > table.GetIndex(3, 2, 4) ? 0 : 1;
        Assert.That(agent.Act(default), Is.EqualTo(expected));
        Assert.That(factory.GetTable(10), Is.SameAs(table), "cached per horizon");
    }

    [Test]
    public void FixedTable_LongerBudget_ThrowsNamingH()
    {
        var factory = new GittinsIndexAgentFactory(GittinsIndexTable.Compute(5));
        Assert.That(() => factory.EnsureSupports(new TestBanditDistribution(), 6), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("interactionBudget"));
        Assert.That(() => factory.EnsureSupports(new SwitchMdpDistribution(10), 5), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution"));
        Assert.DoesNotThrow(() => factory.EnsureSupports(new TestBanditDistribution(), 5));
    }
}

internal static class BanditAgents
{
    public static IMetaAgent Begin(IMetaAgentFactory factory, out MetaEnvironment environment, int arms = 3, int budget = 100)
    {
        var distribution = new TestBanditDistribution(arms);
        environment = factory.CreateEnvironment(distribution, budget);
        var obs = new float[environment.ObservationSize];
        environment.Reset(distribution.Sample(new RandomSource(1)), new RandomSource(2), obs);
        var agent = factory.CreateAgent();
        agent.BeginMetaEpisode(environment, new RandomSource(3));
        return agent;
    }

    public static void Feed(IMetaAgent agent, params (int Action, double Reward)[] pulls)
    {
        foreach (var (action, reward) in pulls)
        {
            agent.Observe(action, new MetaStep(reward, false, true, true), default);
        }
    }
}
