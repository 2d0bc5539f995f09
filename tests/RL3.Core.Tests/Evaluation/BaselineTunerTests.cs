using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Evaluation;

public sealed class BaselineTunerTests
{
    [Test]
    public void GridSearch_UsesOnlyTrainingTasks()
    {
        var distribution = new TestBanditDistribution(3);
        var options = new EvaluationOptions { TaskCount = 25, InteractionBudget = 20, Seed = 11, MaxDegreeOfParallelism = 2 };
        var result = BaselineTuner.GridSearch(distribution, "c", [0.0, 0.3, 1.0], c => new Ucb1AgentFactory(c), options);

        var test = Enumerable.Range(0, 1000).Select(i => new RandomSource(TaskSampler.GetTaskSeed(11, TaskSplit.Test, i)).GetState()).ToHashSet();
        var training = Enumerable.Range(0, 25).Select(i => new RandomSource(TaskSampler.GetTaskSeed(11, TaskSplit.Training, i)).GetState()).ToHashSet();
        var sampled = distribution.SampledFrom.ToHashSet();
        Assert.That(sampled.Overlaps(test), Is.False, "a test task was touched while tuning");
        Assert.That(sampled, Is.EquivalentTo(training));
        Assert.That(result.Report.Split, Is.EqualTo("Training"));
    }

    [Test]
    public void GridSearch_ReturnsTheBestValueAndTheWholeGrid()
    {
        var options = new EvaluationOptions { TaskCount = 40, InteractionBudget = 30, Seed = 2 };
        double[] grid = [0.0, 0.05, 0.2, 1.0];
        var result = BaselineTuner.GridSearch(new TestBanditDistribution(3), "epsilon", grid, e => UcbLikeEpsilon(e), options);
        Assert.That(result.Grid.Select(p => p.Value), Is.EqualTo(grid));
        Assert.That(result.Best.Mean, Is.EqualTo(result.Grid.Max(p => p.Mean)));
        Assert.That(result.ParameterName, Is.EqualTo("epsilon"));
    }

    [Test]
    public void GridSearch_BadInput_Throws()
    {
        var options = new EvaluationOptions { TaskCount = 2, InteractionBudget = 5 };
        Assert.That(() => BaselineTuner.GridSearch(new TestBanditDistribution(), "c", [], c => new Ucb1AgentFactory(c), options), Throws.ArgumentException.With.Property("ParamName").EqualTo("values"));
        Assert.That(() => BaselineTuner.GridSearch(new TestBanditDistribution(), "c", [-1.0], c => new Ucb1AgentFactory(c), options), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("explorationConstant"));
    }

    // ε-greedy needs an RL³ environment; UCB1 with c = ε stands in for a one-parameter family here.
    private static Ucb1AgentFactory UcbLikeEpsilon(double e) => new(e);
}
