using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RL3.Cli.Reports;
using RL3.Core.Evaluation;

namespace RL3.Cli.Tests;

/// <summary>
/// <c>report.html</c> opened in a real browser: headless Chromium loads a copy of the report with two small probe
/// scripts (an error listener first in &lt;head&gt;, a measuring script last in &lt;body&gt;), and the test reads what the
/// browser laid out from <c>--dump-dom</c>: no script error, every chart laid out with a non-zero size and drawn marks,
/// every table with data rows. <c>./test.sh</c> (which CI runs) installs Debian's <c>chromium</c> when it is missing;
/// the test is skipped only when that installation was impossible (test.sh then sets <c>RL3_CHROMIUM_UNAVAILABLE</c>
/// to the reason), and fails when the browser is simply not installed.
/// </summary>
[Category("Browser")]
public sealed partial class ReportBrowserTests
{
    private const string ErrorProbe = "<script>window.__rl3Errors=[];window.addEventListener('error',function(e){window.__rl3Errors.push(String(e.message));});</script>";

    private const string MeasureProbe = """
        <script>
        (function(){
          var svgs=[].slice.call(document.querySelectorAll('svg')).map(function(s){
            var r=s.getBoundingClientRect(), marks=0;
            s.querySelectorAll('path,polyline,polygon,line,circle,rect').forEach(function(e){var b=e.getBBox(); if(b.width>0||b.height>0){marks++;}});
            return {w:r.width,h:r.height,marks:marks};
          });
          var tables=[].slice.call(document.querySelectorAll('table')).map(function(t){
            var rows=[].slice.call(t.querySelectorAll('tr')).filter(function(r){return r.querySelector('td')!==null;});
            var filled=rows.filter(function(r){return [].slice.call(r.querySelectorAll('td')).some(function(c){return c.textContent.trim().length>0;});}).length;
            var r=t.getBoundingClientRect();
            return {rows:rows.length,filled:filled,w:r.width,h:r.height,text:t.textContent.slice(0,4000)};
          });
          document.body.setAttribute('data-rl3-check',JSON.stringify({errors:window.__rl3Errors,title:document.title,svgs:svgs,tables:tables}));
        })();
        </script>
        """;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void CompareReport_RendersInHeadlessChromium_ChartsDrawnTablesFilledNoScriptErrors()
    {
        string browser = Browser();
        string outDir = Path.Combine(_dir, "compare");
        var (code, _, error) = CliRunner.Run(["compare", "--family", "bandits", "--tasks", "40", "--iterations", "2", "--out", outDir, "--set", "ppo.batchSteps=200", "--set", "ppo.minibatchSequences=10", "--set", "evaluation.interval=1"]);
        Assert.That(code, Is.EqualTo(0), error);

        var check = Render(browser, File.ReadAllText(Path.Combine(outDir, "report.html")));

        AssertRendered(check, minimumCharts: 3, minimumTables: 3);
        Assert.That(check.Tables.Any(t => t.Text.Contains("RL³", StringComparison.Ordinal) && t.Text.Contains("gittins", StringComparison.Ordinal)), "the methods table lists the agents and the baselines");
        Assert.That(check.Tables.Any(t => t.Text.Contains("RL³ − RL²", StringComparison.Ordinal)), "the paired-differences table");
    }

    [Test]
    public void GridAndOodReport_RendersInHeadlessChromium()
    {
        string browser = Browser();
        var grid = new GridVisits(0, 3, 4, "S  O !W  X G", [5, 2, 1, 0, 0, 1, 3, 0, 0, 0, 0, 1], 12);
        var curve = ImmutableArray.Create(new AdaptationPoint(0, 1, 0.1, 10), new AdaptationPoint(1, 2, 0.1, 10));
        MethodSummary Method(string name, double mean, string kind) => MethodSummary.From(new MethodResult(name, mean, 0.5, [mean - 1, mean + 1, mean + 3], curve), kind, alwaysBootstrap: true);
        var document = new EvaluationDocument("evaluate", "p", null, 3,
        [
            new EvaluationSet("grid-13x13", 350, 3, 1, false, [Method("RL³", 5, MethodSummary.LearnedKind), Method("RL²", 3, MethodSummary.LearnedKind), Method("random", -2, MethodSummary.BaselineKind)]) { Visits = [grid] },
            new EvaluationSet("grid-13x13-dense", 350, 3, 1, true, [Method("RL³", 3, MethodSummary.LearnedKind)]),
        ]);
        var model = new ReportModel { Title = "grid report", Evaluation = document };
        model.Runs.Add(new TrainingCurve("RL³", [new ChartPoint(1, 1, 0.2), new ChartPoint(2, 2, 0.2)], [new ChartPoint(2, 2.5, 0.3)]));

        var check = Render(browser, HtmlReport.Render(model));

        AssertRendered(check, minimumCharts: 5, minimumTables: 3);
    }

    private static void AssertRendered(Check check, int minimumCharts, int minimumTables)
    {
        Assert.Multiple(() =>
        {
            Assert.That(check.Errors, Is.Empty, "script errors while loading the report");
            Assert.That(check.Title, Is.Not.Empty);
            Assert.That(check.Svgs, Has.Count.GreaterThanOrEqualTo(minimumCharts), "charts");
            for (int i = 0; i < check.Svgs.Count; i++)
            {
                var s = check.Svgs[i];
                Assert.That(s.W > 20 && s.H > 20, $"chart {i} is laid out ({s.W}×{s.H} px)");
                Assert.That(s.Marks, Is.GreaterThanOrEqualTo(3), $"chart {i} draws marks");
            }

            Assert.That(check.Tables, Has.Count.GreaterThanOrEqualTo(minimumTables), "tables");
            for (int i = 0; i < check.Tables.Count; i++)
            {
                var t = check.Tables[i];
                Assert.That(t.Rows, Is.GreaterThan(0), $"table {i} has data rows: {t.Text}");
                Assert.That(t.Filled, Is.EqualTo(t.Rows), $"table {i} has no empty rows: {t.Text}");
                Assert.That(t.W > 0 && t.H > 0, $"table {i} is laid out");
            }
        });
    }

    /// <summary>Loads the report with the probes in headless Chromium and returns what the measuring probe recorded.</summary>
    private Check Render(string browser, string html)
    {
        Assert.That(html, Does.Not.Contain("<script"), "the report itself carries no scripts");
        int head = html.IndexOf("<head>", StringComparison.Ordinal);
        int body = html.LastIndexOf("</body>", StringComparison.Ordinal);
        Assert.That(head >= 0 && body > head, "report has <head> and </body>");
        string probed = html[..(head + 6)] + ErrorProbe + html[(head + 6)..body] + MeasureProbe + html[body..];
        string page = Path.Combine(_dir, "probed-report.html");
        File.WriteAllText(page, probed);

        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={Path.Combine(_dir, "chromium-profile")}", "--window-size=1200,2000", "--dump-dom", new Uri(page).AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {browser}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{browser} did not finish within 180 s; stderr: {Tail(stderr.Result)}");
        }

        string dom = stdout.Result;
        var match = CheckAttribute().Match(dom);
        Assert.That(match.Success, $"{browser} exited with {process.ExitCode} without the probe's result; stderr: {Tail(stderr.Result)}");
        return JsonSerializer.Deserialize<Check>(WebUtility.HtmlDecode(match.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    /// <summary>The browser: <c>RL3_CHROMIUM</c>, else <c>chromium</c> / <c>chromium-browser</c> on PATH; skips only when test.sh could not install one.</summary>
    private static string Browser()
    {
        string? configured = Environment.GetEnvironmentVariable("RL3_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (string name in new[] { "chromium", "chromium-browser" })
        {
            foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        string? unavailable = Environment.GetEnvironmentVariable("RL3_CHROMIUM_UNAVAILABLE");
        if (!string.IsNullOrEmpty(unavailable))
        {
            Assert.Ignore($"headless Chromium is not installed and ./test.sh could not install it: {unavailable}");
        }

        Assert.Fail("headless Chromium not found (chromium or chromium-browser on PATH, or RL3_CHROMIUM): run ./test.sh, which installs the Debian package chromium, or install it yourself");
        return string.Empty;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    [GeneratedRegex("data-rl3-check=\"([^\"]*)\"")]
    private static partial Regex CheckAttribute();

    private sealed record Check(List<string> Errors, string Title, List<SvgCheck> Svgs, List<TableCheck> Tables);

    private sealed record SvgCheck(double W, double H, int Marks);

    private sealed record TableCheck(int Rows, int Filled, double W, double H, string Text);
}
