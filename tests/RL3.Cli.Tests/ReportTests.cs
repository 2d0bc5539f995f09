using System.Collections.Immutable;
using RL3.Cli.Reports;
using RL3.Core.Evaluation;

namespace RL3.Cli.Tests;

public sealed class ReportTests
{
    [Test]
    public void Render_GridVisitsOodAndAdaptation_IsWellFormedWithEverySection()
    {
        var grid = new GridVisits(0, 3, 4, "S  O !W  X G", [5, 2, 1, 0, 0, 1, 3, 0, 0, 0, 0, 1], 12);
        var curve = ImmutableArray.Create(new AdaptationPoint(0, 1, 0.1, 10), new AdaptationPoint(1, 2, 0.1, 10));
        MethodSummary Method(string name, double mean) => MethodSummary.From(new MethodResult(name, mean, 0.5, [mean - 1, mean + 1], curve), MethodSummary.LearnedKind);
        var document = new EvaluationDocument("evaluate", "p", null, 3,
        [
            new EvaluationSet("grid-13x13", 350, 2, 1, false, [Method("RL³", 5)]) { Visits = [grid] },
            new EvaluationSet("grid-13x13-dense", 350, 2, 1, true, [Method("RL³", 3)]),
        ]);
        var model = new ReportModel { Title = "t <&> \"q\"", Evaluation = document };
        model.Runs.Add(new TrainingCurve("RL³", [new ChartPoint(1, 1, 0.2), new ChartPoint(2, 2, 0.2)], [new ChartPoint(2, 2.5, 0.3)]));

        string html = HtmlReport.Render(model);

        HtmlChecks.AssertWellFormedReport(html, minimumSvgs: 5);
        Assert.That(html, Does.Contain("Learning curves").And.Contain("Adaptation curves").And.Contain("Out-of-distribution").And.Contain("Where the agent goes"));
        Assert.That(html, Does.Contain("t &lt;&amp;&gt; &quot;q&quot;"));
        Assert.That(html, Does.Contain("visited 5×"));
    }

    [TestCase(0.0, 1.0)]
    [TestCase(-812.5, -284.0)]
    [TestCase(4.9, 4.9)]
    public void NiceTicks_CoverTheRangeInRoundSteps(double min, double max)
    {
        var ticks = SvgCharts.NiceTicks(min, max, 6);
        Assert.That(ticks[0], Is.LessThanOrEqualTo(min));
        Assert.That(ticks[^1], Is.GreaterThanOrEqualTo(max));
        Assert.That(ticks, Has.Length.InRange(2, 12));
    }
}
