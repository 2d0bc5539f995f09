using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Evaluation;

public sealed class PsrlAgentTests
{
    [Test]
    public void Observe_UpdatesNormalGammaPosteriorAndCountsEveryTransition()
    {
        var options = new PsrlOptions { RewardPriorMean = 0.5, RewardPriorPseudoCount = 2, RewardPriorShape = 3, RewardPriorRate = 4 };
        var distribution = new TestBanditDistribution(3);
        var factory = new PsrlAgentFactory(options);
        var env = factory.CreateEnvironment(distribution, 40);
        var obs = new float[env.ObservationSize];
        env.Reset(distribution.Sample(new RandomSource(4)), new RandomSource(5), obs);
        var agent = (PsrlAgent)factory.CreateAgent();
        agent.BeginMetaEpisode(env, new RandomSource(6));
        var rewards = new List<double>[3];
        for (int a = 0; a < 3; a++)
        {
            rewards[a] = [];
        }

        for (int t = 0; t < 40; t++)
        {
            int a = agent.Act(obs);
            var step = env.Step(a, obs);
            agent.Observe(a, step, obs);
            rewards[a].Add(step.Reward);
        }

        for (int a = 0; a < 3; a++)
        {
            var x = rewards[a];
            double n = x.Count;
            double mean = n == 0 ? 0 : x.Average();
            double ss = x.Sum(v => (v - mean) * (v - mean));
            var posterior = agent.RewardPosterior(0, a);
            Assert.That(posterior.PseudoCount, Is.EqualTo(2 + n));
            Assert.That(posterior.Mean, Is.EqualTo((2 * 0.5 + n * mean) / (2 + n)).Within(1e-12));
            Assert.That(posterior.Shape, Is.EqualTo(3 + n / 2));
            Assert.That(posterior.Rate, Is.EqualTo(4 + 0.5 * ss + 2 * n * (mean - 0.5) * (mean - 0.5) / (2 * (2 + n))).Within(1e-12));

            // Every pull is counted as start → pulled, although the environment resets the bandit after each pull.
            Assert.That(agent.TransitionCount(0, a, 1), Is.EqualTo(n));
        }
    }

    [Test]
    public void Run_SwitchMdp_LearnsToSwitch()
    {
        // TH = 5: the optimum per episode is −0.5 + 4 = 3.5; staying forever earns 0.
        var distribution = new SwitchMdpDistribution(5);
        var factory = new PsrlAgentFactory();
        var env = factory.CreateEnvironment(distribution, 200);
        var episodes = new double[200];
        MetaEpisodeRunner.Run(env, factory.CreateAgent(), distribution.Sample(new RandomSource(0)), new RandomSource(1), new RandomSource(2), episodes, out int count);
        Assert.That(count, Is.EqualTo(40));
        Assert.That(episodes.Skip(20).Take(20), Has.All.EqualTo(3.5));
    }

    /// <summary>
    /// A prior that makes the posterior nearly certain after one observation: Dirichlet(0.001) transitions (an observed
    /// deterministic successor gets probability ≈ 1; an unseen pair goes to a random vertex) and rewards whose sampled
    /// mean is within ≈ 0.03 of μ₀ = 2 for an unseen pair and within ≈ 0.002 of the observed reward after one visit.
    /// </summary>
    private static PsrlOptions SharpOptimisticPrior(bool resampleWithinEpisodes = false) => new()
    {
        TransitionPriorConcentration = 1e-3,
        RewardPriorMean = 2,
        RewardPriorPseudoCount = 1e-3,
        RewardPriorShape = 1e3,
        RewardPriorRate = 1e-3,
        ResampleWithinEpisodes = resampleWithinEpisodes,
    };

    [TestCase(0UL)]
    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    [TestCase(4UL)]
    public void Run_UnboundedEpisodesWithAbsorbingGoal_PlansTheRestartsAndResamples(ulong seed)
    {
        // GoalOrStay without a task horizon, H = 20: action 0 enters the absorbing goal (+1; the task restarts in
        // state 0), action 1 stays (+0.3). The optimum takes the goal every step (20).
        // By hand, with the sharp prior: an unseen pair samples ≈ 2 per step, more than either true reward, so the first
        // two steps try both actions (in either order; each new pair triggers a new sample): 1 + 0.3. From step 3 on
        // both pairs are known, and the plan over the steps left values the goal as 1 + V(start) for the steps after
        // it, against 0.3 + V(start) for staying: the goal every step, 18 × 1. Return 1 + 0.3 + 18 = 19.3.
        // (The agent before this rule valued the absorbing goal at 0 and sampled only at episode ends, so it stayed for
        // 0.3 per step: it earned 6.0 on each of these seeds.)
        var distribution = new GoalOrStayDistribution(taskHorizon: 0);
        var factory = new PsrlAgentFactory(SharpOptimisticPrior());
        var env = factory.CreateEnvironment(distribution, 20);
        double total = MetaEpisodeRunner.Run(env, factory.CreateAgent(), distribution.Sample(new RandomSource(0)), new RandomSource(1), new RandomSource(seed), [], out int episodes);
        Assert.That(total, Is.EqualTo(19.3).Within(1e-9));
        Assert.That(episodes, Is.EqualTo(19));
    }

    [Test]
    public void Run_BoundedEpisodes_PlansOnlyTheEpisode()
    {
        // GoalOrStay with TH = 5, H = 20: classical episodic PSRL plans the steps left in the task episode, where the goal
        // ends the plan (worth 0). With the model known, Q_k(goal) = 1 and Q_k(stay) = 0.3 + V_{k−1}: V_1 = 1,
        // V_k = 0.3 (k − 1) + 1, so the agent stays four steps and takes the goal on the fifth: 2.2 per episode
        // (the meta-optimum, the goal every step, would earn 5). By hand the first episodes explore; once both pairs
        // are known every episode lasts its 5 steps and returns 2.2, except the last, which the budget may cut to
        // L < 5 steps: 0.3 (L − 1) + 1.
        var distribution = new GoalOrStayDistribution(taskHorizon: 5);
        var factory = new PsrlAgentFactory(SharpOptimisticPrior());
        var env = factory.CreateEnvironment(distribution, 20);
        var episodes = new double[20];
        MetaEpisodeRunner.Run(env, factory.CreateAgent(), distribution.Sample(new RandomSource(0)), new RandomSource(1), new RandomSource(2), episodes, out int count);
        Assert.That(episodes[count - 2], Is.EqualTo(2.2).Within(1e-9));
        Assert.That(new[] { 1.0, 1.3, 1.6, 1.9, 2.2 }.Any(v => Math.Abs(v - episodes[count - 1]) < 1e-9), Is.True, $"last episode {episodes[count - 1]}");
    }

    [Test]
    public void ResampleWithinEpisodes_BoundedEpisodes_SamplesMoreThanOncePerEpisode()
    {
        var distribution = new SwitchMdpDistribution(5);
        int Samples(bool within)
        {
            var factory = new PsrlAgentFactory(new PsrlOptions { ResampleWithinEpisodes = within });
            var env = factory.CreateEnvironment(distribution, 50);
            var obs = new float[env.ObservationSize];
            env.Reset(distribution.Sample(new RandomSource(0)), new RandomSource(1), obs);
            var agent = (PsrlAgent)factory.CreateAgent();
            agent.BeginMetaEpisode(env, new RandomSource(2));
            for (int t = 0; t < 50; t++)
            {
                int a = agent.Act(obs);
                agent.Observe(a, env.Step(a, obs), obs);
            }

            return agent.SampleCount;
        }

        Assert.That(Samples(within: false), Is.EqualTo(10)); // one per task episode: 50 / TH
        Assert.That(Samples(within: true), Is.GreaterThan(10));
    }

    [Test]
    public void EnsureSupports_ContinuousFamily_Throws() =>
        Assert.That(() => new PsrlAgentFactory().EnsureSupports(new ContinuousDistribution(), 10), Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution").And.Message.Contains("discrete"));

    [Test]
    public void Constructor_BadPrior_ThrowsNamingOption()
    {
        Assert.That(() => new PsrlAgentFactory(new PsrlOptions { TransitionPriorConcentration = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("TransitionPriorConcentration"));
        Assert.That(() => new PsrlAgentFactory(new PsrlOptions { RewardPriorRate = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("RewardPriorRate"));
    }
}
