using RL3.Core.Evaluation;

namespace RL3.Core.Tests.Evaluation;

public sealed class EvaluationTableFormatterTests
{
    [Test]
    public void Format_WritesMethodMeanStandardErrorAndPaperColumns()
    {
        var report = new EvaluationReport("bandits-k5", "Test", 100, 2, 0, 0,
        [
            new MethodResult("random", 50.0, 0.25, [49.75, 50.25], []),
            new MethodResult("gittins", 78.126, 0.5, [77.626, 78.626], []),
        ]);
        string table = EvaluationTableFormatter.Format(report, new Dictionary<string, double> { ["gittins"] = 78.3 }, baseline: "random");
        var lines = table.Split('\n');
        Assert.That(lines[0], Is.EqualTo("bandits-k5, H = 100, 2 test tasks (seed 0, first task 0)"));
        Assert.That(lines[1], Does.StartWith("method  | mean ± s.e.  | paper | paired Δ vs random"));
        Assert.That(lines[3], Is.EqualTo("random  | 50.00 ± 0.25 | –     | –"));
        Assert.That(lines[4], Is.EqualTo("gittins | 78.13 ± 0.50 | 78.3  | +28.13 ± 0.25"));
        Assert.That(() => EvaluationTableFormatter.Format(report, baseline: "nope"), Throws.TypeOf<KeyNotFoundException>());
    }
}
