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

    [Test]
    public void EvaluationDocument_GridFamily_CarriesTestsAndBootstrapIntervalsThroughJsonAndReport()
    {
        // Grid-world returns always get the bootstrap interval (EvaluationSet.AlwaysBootstrap); bandits only where skewed.
        double[] rl3 = [.. Enumerable.Range(0, 30).Select(i => i % 5 == 0 ? 300.0 + i : -250.0 + i)];
        double[] rl2 = [.. Enumerable.Range(0, 30).Select(i => -250.0 + (i % 3))];
        MethodSummary Method(string name, double[] returns, string kind)
        {
            double mean = returns.Average();
            double se = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1) / returns.Length);
            return MethodSummary.From(new MethodResult(name, mean, se, [.. returns], []), kind, EvaluationSet.AlwaysBootstrap("grid-11x11"));
        }

        var document = new EvaluationDocument("compare", "p", null, null,
            [new EvaluationSet("grid-11x11", 250, 30, 1, false, [Method("RL³", rl3, MethodSummary.LearnedKind), Method("RL²", rl2, MethodSummary.LearnedKind)])]);
        string path = Path.Combine(Path.GetTempPath(), $"rl3-stats-{Environment.ProcessId}.json");
        try
        {
            document.Save(path);
            string text = File.ReadAllText(path);
            Assert.That(text, Does.Contain("\"pairedDifferences\"").And.Contain("\"bootstrap95\"").And.Contain("bootstrap percentile, 10000 resamples"));
            var loaded = EvaluationDocument.Load(path);
            var set = loaded.Sets[0];
            Assert.That(set.Methods[0].Bootstrap95, Is.EqualTo(document.Sets[0].Methods[0].Bootstrap95));
            var d = set.PairedDifferences.Single();
            Assert.That(d.Differences.Bootstrap, Is.Not.Null);
            Assert.That(d.TTest.PValue, Is.EqualTo(document.Sets[0].PairedDifferences[0].TTest.PValue));
            Assert.That(d.Wilcoxon.PValue, Is.LessThan(1e-3));

            string html = HtmlReport.Render(new ReportModel { Title = "grid", Evaluation = loaded });
            HtmlChecks.AssertWellFormedReport(html, minimumSvgs: 1);
            Assert.That(html, Does.Contain("95% CI (bootstrap)").And.Contain("Wilcoxon signed-rank z").And.Contain("paired t-test t"));
        }
        finally
        {
            File.Delete(path);
        }
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
