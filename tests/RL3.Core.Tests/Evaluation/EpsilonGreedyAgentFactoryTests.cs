using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Evaluation;

public sealed class EpsilonGreedyAgentFactoryTests
{
    [TestCase(-0.01)]
    [TestCase(1.01)]
    [TestCase(double.NaN)]
    public void Constructor_EpsilonOutsideUnitInterval_Throws(double epsilon) =>
        Assert.That(() => new EpsilonGreedyAgentFactory(epsilon), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("epsilon").And.Message.Contains("[0, 1]"));

    [Test]
    public void PosteriorMean_OnBandits_FollowsTheBetaPosteriorMean()
    {
        var distribution = TaskCatalog.Create(TaskCatalog.BanditsK5);
        var factory = new EpsilonGreedyAgentFactory(0, GreedyValueSource.BetaPosteriorMean);
        var env = factory.CreateEnvironment(distribution, 50);
        var obs = new float[env.ObservationSize];
        env.Reset(distribution.Sample(new RandomSource(1)), new RandomSource(2), obs);
        var agent = factory.CreateAgent();
        agent.BeginMetaEpisode(env, new RandomSource(3));
        var successes = new double[5];
        var pulls = new double[5];
        for (int t = 0; t < 50; t++)
        {
            int a = agent.Act(obs);
            double best = Enumerable.Range(0, 5).Max(i => (1 + successes[i]) / (2 + pulls[i]));
            Assert.That((1 + successes[a]) / (2 + pulls[a]), Is.EqualTo(best).Within(1e-6), $"step {t}");
            var step = env.Step(a, obs);
            agent.Observe(a, step, obs);
            successes[a] += step.Reward;
            pulls[a]++;
        }
    }

    [Test]
    public void PosteriorMean_OnRandomMdps_Throws() =>
        Assert.That(() => new EpsilonGreedyAgentFactory(0.1, GreedyValueSource.BetaPosteriorMean).EnsureSupports(TaskCatalog.Create(TaskCatalog.Mdp10x5), 100),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("distribution"));

    [Test]
    public void InnerGreedy_RunsOnEveryFamilyAndBeatsRandomOnMdps()
    {
        var mdps = TaskCatalog.Create(TaskCatalog.Mdp10x5);
        var report = new MetaEvaluator(new EvaluationOptions { TaskCount = 40, InteractionBudget = 100, Seed = 5 })
            .Evaluate(mdps, [new RandomAgentFactory(), new EpsilonGreedyAgentFactory(0)]);
        Assert.That(report.Compare("inner-greedy (MBVI)", "random").MeanDifference, Is.GreaterThan(0));

        var grid = TaskCatalog.Create(TaskCatalog.Grid11x11);
        var factory = new EpsilonGreedyAgentFactory(0.1);
        factory.EnsureSupports(grid, 20);
        double total = MetaEpisodeRunner.Run(factory.CreateEnvironment(grid, 20), factory.CreateAgent(), grid.Sample(new RandomSource(1)), new RandomSource(2), new RandomSource(3), [], out _);
        Assert.That(double.IsFinite(total), Is.True);
    }
}
