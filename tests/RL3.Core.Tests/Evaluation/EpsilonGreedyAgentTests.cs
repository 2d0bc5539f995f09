using RL3.Core.Evaluation.Baselines;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tests.Meta;

namespace RL3.Core.Tests.Evaluation;

public sealed class EpsilonGreedyAgentTests
{
    [Test]
    public void Act_EpsilonZero_PicksArgmaxOfInnerAdvantage()
    {
        // RecordingEstimator: Q(s, a) = 10 s + a, so the best action is always A − 1 = 2.
        var (env, obs) = Rl3(new RecordingEstimator(3, 4));
        var agent = new EpsilonGreedyAgent("greedy", 0.0);
        agent.BeginMetaEpisode(env, new RandomSource(5));
        for (int i = 0; i < 50; i++)
        {
            Assert.That(agent.Act(obs), Is.EqualTo(2));
        }
    }

    [Test]
    public void Act_Ties_AreBrokenUniformly()
    {
        var (env, obs) = Rl3(new ConstantEstimator(3, 4));
        var agent = new EpsilonGreedyAgent("greedy", 0.0);
        agent.BeginMetaEpisode(env, new RandomSource(5));
        var counts = new int[3];
        for (int i = 0; i < 3000; i++)
        {
            counts[agent.Act(obs)]++;
        }

        Assert.That(counts, Has.All.InRange(900, 1100));
    }

    [Test]
    public void Act_EpsilonOne_IsUniform()
    {
        var (env, obs) = Rl3(new RecordingEstimator(3, 4));
        var agent = new EpsilonGreedyAgent("eps", 1.0);
        agent.BeginMetaEpisode(env, new RandomSource(5));
        var counts = new int[3];
        for (int i = 0; i < 3000; i++)
        {
            counts[agent.Act(obs)]++;
        }

        Assert.That(counts, Has.All.InRange(900, 1100));
    }

    [Test]
    public void BeginMetaEpisode_Rl2Environment_Throws()
    {
        var env = new MetaEnvironment(new ChainDistribution(4, 3), new MetaEnvironmentOptions { InteractionBudget = 5 });
        env.Reset(new ChainTask(4, 3), new RandomSource(1), new float[env.ObservationSize]);
        Assert.That(() => new EpsilonGreedyAgent("greedy", 0).BeginMetaEpisode(env, new RandomSource(1)), Throws.ArgumentException.With.Message.Contains("inner"));
    }

    private static (MetaEnvironment Env, float[] Obs) Rl3(IInnerRLEstimator estimator)
    {
        var env = new MetaEnvironment(new ChainDistribution(4, 3), new MetaEnvironmentOptions { InteractionBudget = 5 }, estimator, new IdentityIndexer(4));
        var obs = new float[env.ObservationSize];
        env.Reset(new ChainTask(4, 3), new RandomSource(1), obs);
        return (env, obs);
    }

    private sealed class ConstantEstimator(int actions, int capacity) : IInnerRLEstimator
    {
        public int ActionCount => actions;
        public int StateCapacity => capacity;
        public bool ProvidesStandardErrors => false;
        public void Reset(int fixedStateCount)
        {
        }

        public void Observe(in InnerTransition transition)
        {
        }

        public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
        {
            q.Fill(0.25);
            standardErrorQ.Clear();
            visitCounts.Clear();
            return new InnerValue(0.25, 0);
        }
    }
}
