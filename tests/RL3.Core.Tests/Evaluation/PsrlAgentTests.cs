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
