using RL3.Core.Evaluation;

namespace RL3.Core.Tests.Evaluation;

public sealed class BaselineComparisonTests
{
    [Test]
    public void Run_SmallCounts_ReturnsBothFamiliesAndTheTable()
    {
        var result = BaselineComparison.Run(new BaselineComparisonOptions { BanditTaskCount = 20, MdpTaskCount = 10, TuningTaskCount = 10, InteractionBudget = 20, Seed = 1 });
        Assert.That(result.Bandits.TaskCount, Is.EqualTo(20));
        Assert.That(result.RandomMdps.TaskCount, Is.EqualTo(10));
        Assert.That(result.Tuning.Select(t => t.ParameterName), Is.EqualTo(new[] { "epsilon", "c" }));
        string table = result.ToTable();
        Assert.That(table, Does.Contain("gittins").And.Contain("psrl").And.Contain("inner-greedy (MBVI)").And.Contain("tuned c =").And.Not.Contain("138.1"), "paper values only for H = 100");
    }

    [Test]
    public void Run_BadOptions_ThrowNamingTheOption() =>
        Assert.That(() => BaselineComparison.Run(new BaselineComparisonOptions { BanditTaskCount = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("BanditTaskCount"));
}
