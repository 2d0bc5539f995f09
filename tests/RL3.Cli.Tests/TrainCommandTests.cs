using System.Text.Json;

namespace RL3.Cli.Tests;

public sealed class TrainCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Train_TinyPreset_WritesEveryFile()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output, error) = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "2", .. CliRunner.Tiny]);
        Assert.That(code, Is.EqualTo(0), error);
        foreach (string file in new[] { "preset.json", "metrics.csv", "checkpoint.bin", "evaluation.json", "report.html" })
        {
            Assert.That(File.Exists(Path.Combine(run, file)), file);
        }

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("it 2/2").And.Contain("steps/s").And.Contain("ETA").And.Contain("held-out RL³"));
            Assert.That(File.ReadAllLines(Path.Combine(run, "metrics.csv")), Has.Length.EqualTo(3), "header + 2 iterations");
            var preset = Core.Training.TrainingPreset.FromJson(File.ReadAllText(Path.Combine(run, "preset.json")));
            Assert.That(preset.Ppo.Iterations, Is.EqualTo(2));
            Assert.That(preset.Ppo.BatchSteps, Is.EqualTo(200));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
            var method = json.RootElement.GetProperty("sets")[0].GetProperty("methods")[0];
            Assert.That(method.GetProperty("taskCount").GetInt32(), Is.EqualTo(40));
            Assert.That(method.GetProperty("mean").GetDouble(), Is.InRange(0.0, 10.0));
        });
        HtmlChecks.AssertWellFormedReport(File.ReadAllText(Path.Combine(run, "report.html")), minimumSvgs: 2);

        File.Delete(Path.Combine(run, "report.html"));
        Assert.That(CliRunner.Run("report", run).ExitCode, Is.EqualTo(0));
        HtmlChecks.AssertWellFormedReport(File.ReadAllText(Path.Combine(run, "report.html")), minimumSvgs: 2);
    }

    [Test]
    public void Train_StopThenResume_ContinuesBitForBit()
    {
        string straight = Path.Combine(_dir, "straight");
        string paused = Path.Combine(_dir, "paused");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", straight, "--iterations", "4", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        var (code, output, _) = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", paused, "--iterations", "4", "--stop-after", "2", .. CliRunner.Tiny]);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("stopped at iteration 2 of 4"));
        Assert.That(File.Exists(Path.Combine(paused, "evaluation.json")), Is.False);

        var resumed = CliRunner.Run("train", "--out", paused, "--resume");
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Output, Does.Contain("resuming").And.Contain("it 3/4"));
            Assert.That(File.ReadAllBytes(Path.Combine(paused, "checkpoint.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(straight, "checkpoint.bin"))));
            Assert.That(DeterministicColumns(Path.Combine(paused, "metrics.csv")), Is.EqualTo(DeterministicColumns(Path.Combine(straight, "metrics.csv"))));
        });
    }

    [Test]
    public void Train_ExistingRunWithoutResume_Refuses()
    {
        string run = Path.Combine(_dir, "run");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        var (code, _, error) = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, .. CliRunner.Tiny]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("already holds a run"));
    }

    [Test]
    public void Evaluate_TrainedRunWithOod_WritesBothDistributions()
    {
        string run = Path.Combine(_dir, "run");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        var (code, output, error) = CliRunner.Run("evaluate", "--checkpoint", Path.Combine(run, "checkpoint.bin"), "--ood", "--tasks", "30");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("bandits-k5 ").And.Contain("bandits-k5-ood"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        var sets = json.RootElement.GetProperty("sets");
        Assert.Multiple(() =>
        {
            Assert.That(sets.GetArrayLength(), Is.EqualTo(2));
            Assert.That(sets[1].GetProperty("distribution").GetString(), Is.EqualTo("bandits-k5-ood"));
            Assert.That(sets[1].GetProperty("outOfDistribution").GetBoolean(), Is.True);
            Assert.That(sets[0].GetProperty("taskCount").GetInt32(), Is.EqualTo(30));
        });
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        HtmlChecks.AssertWellFormedReport(html, minimumSvgs: 3);
        Assert.That(html, Does.Contain("Out-of-distribution"));
    }

    [Test]
    public void Evaluate_SelectionSample_IsRecordedAndReproducible()
    {
        string run = Path.Combine(_dir, "run");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        string checkpoint = Path.Combine(run, "checkpoint.bin");
        var greedy = CliRunner.Run("evaluate", "--checkpoint", checkpoint, "--tasks", "40", "--out", Path.Combine(_dir, "greedy"));
        var sampled = CliRunner.Run("evaluate", "--checkpoint", checkpoint, "--tasks", "40", "--selection", "sample", "--out", Path.Combine(_dir, "sampled"));
        var again = CliRunner.Run("evaluate", "--checkpoint", checkpoint, "--tasks", "40", "--selection", "stochastic", "--out", Path.Combine(_dir, "again"));
        Assert.That(greedy.ExitCode + sampled.ExitCode + again.ExitCode, Is.EqualTo(0), greedy.Error + sampled.Error + again.Error);

        static (string? Selection, double[] Returns) Read(string dir)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
            var root = json.RootElement;
            var returns = root.GetProperty("sets")[0].GetProperty("methods")[0].GetProperty("taskReturns").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            return (root.GetProperty("selection").GetString(), returns);
        }

        var g = Read(Path.Combine(_dir, "greedy"));
        var s = Read(Path.Combine(_dir, "sampled"));
        var a = Read(Path.Combine(_dir, "again"));
        Assert.Multiple(() =>
        {
            Assert.That(greedy.Output, Does.Contain("greedy actions"));
            Assert.That(sampled.Output, Does.Contain("sample actions"));
            Assert.That(g.Selection, Is.EqualTo("greedy"));
            Assert.That(s.Selection, Is.EqualTo("sample"));
            Assert.That(a.Returns, Is.EqualTo(s.Returns), "sampled evaluation is seeded: the same seed gives the same returns");
            Assert.That(s.Returns, Is.Not.EqualTo(g.Returns), "sampling from a barely trained policy must not reproduce its greedy returns on 40 tasks");
        });
    }

    [Test]
    public void Compare_TinyRuns_PrintsTableWithBaselinesAndWritesReport()
    {
        string outDir = Path.Combine(_dir, "compare");
        var (code, output, error) = CliRunner.Run(["compare", "--family", "bandits", "--tasks", "40", "--iterations", "1", "--out", outDir, "--set", "ppo.batchSteps=200", "--set", "ppo.minibatchSequences=10", "--set", "evaluation.interval=1"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("RL³").And.Contain("RL²").And.Contain("random").And.Contain("gittins").And.Contain("oracle").And.Contain("greedy (inner Q)"));
            Assert.That(output, Does.Contain("paired difference RL³ − RL²"));
            Assert.That(File.Exists(Path.Combine(outDir, "rl3", "checkpoint.bin")) && File.Exists(Path.Combine(outDir, "rl2", "checkpoint.bin")));
        });
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        HtmlChecks.AssertWellFormedReport(html, minimumSvgs: 2);
        Assert.That(html, Does.Contain("Paired differences").And.Contain("95% CI"));
        Assert.That(html, Does.Contain("paired t-test").And.Contain("Wilcoxon signed-rank"));
        Assert.That(output, Does.Contain("paired t-test t = ").And.Contain("Wilcoxon signed-rank z = "));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        var pairs = json.RootElement.GetProperty("sets")[0].GetProperty("pairedDifferences");
        Assert.That(pairs.GetArrayLength(), Is.GreaterThanOrEqualTo(5), "RL³ against RL² and every baseline, RL² against every baseline");
        var first = pairs[0];
        Assert.That(first.GetProperty("method").GetString() + " − " + first.GetProperty("baseline").GetString(), Is.EqualTo("RL³ − RL²"));
        Assert.That(first.GetProperty("tTest").GetProperty("name").GetString(), Is.EqualTo("paired t-test"));
        Assert.That(first.GetProperty("wilcoxon").GetProperty("name").GetString(), Is.EqualTo("Wilcoxon signed-rank"));
        Assert.That(first.GetProperty("differences").GetProperty("studentT").GetProperty("method").GetString(), Is.EqualTo("Student-t, df = 39"));
    }

    [Test]
    public void Compare_Checkpoints_ReproducesTheTrainedComparisonAndEvaluatesAtAnotherHorizon()
    {
        string trained = Path.Combine(_dir, "compare");
        Assert.That(CliRunner.Run(["compare", "--family", "bandits", "--tasks", "40", "--iterations", "1", "--out", trained, "--set", "ppo.batchSteps=200", "--set", "ppo.minibatchSequences=10", "--set", "evaluation.interval=1"]).ExitCode, Is.EqualTo(0));
        string rl3 = Path.Combine(trained, "rl3");
        string rl2 = Path.Combine(trained, "rl2");

        string again = Path.Combine(_dir, "again");
        var (code, output, error) = CliRunner.Run(["compare", "--checkpoint", rl3, "--checkpoint", rl2, "--tasks", "40", "--out", again]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("paired difference RL³ − RL²").And.Contain("fraction of the task oracle's mean return: RL³ "));
        Assert.That(Returns(again, "RL³"), Is.EqualTo(Returns(trained, "RL³")), "the same checkpoint on the same tasks gives the same returns as right after training");
        Assert.That(Returns(again, "RL²"), Is.EqualTo(Returns(trained, "RL²")));
        Assert.That(Returns(again, "oracle"), Is.EqualTo(Returns(trained, "oracle")));

        string longer = Path.Combine(_dir, "longer");
        (code, output, error) = CliRunner.Run(["compare", "--checkpoint", rl3, "--checkpoint", rl2, "--tasks", "40", "--horizon", "25", "--out", longer, "--selection", "sample"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("at H = 25, sample actions").And.Contain("trained at H = 10 and are evaluated at H = 25 without retraining"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(longer, "evaluation.json")));
        Assert.That(json.RootElement.GetProperty("sets")[0].GetProperty("interactionBudget").GetInt32(), Is.EqualTo(25));
        Assert.That(json.RootElement.GetProperty("selection").GetString(), Is.EqualTo("sample"));
        Assert.That(Returns(longer, "oracle").Sum(), Is.GreaterThan(Returns(trained, "oracle").Sum()), "25 pulls of the best arm earn more than 10");
        HtmlChecks.AssertWellFormedReport(File.ReadAllText(Path.Combine(longer, "report.html")), minimumSvgs: 2);
    }

    [TestCase("--rl3", "bandits-h10-rl3-quick", "cannot be combined with --rl3")]
    [TestCase("--iterations", "3", "cannot be combined with --iterations")]
    public void Compare_CheckpointWithTrainingOptions_IsRefused(string option, string value, string message)
    {
        var (code, _, error) = CliRunner.Run(["compare", "--checkpoint", _dir, option, value, "--out", Path.Combine(_dir, "x")]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False);
    }

    [Test]
    public void Compare_HorizonWithoutCheckpoint_IsRefused()
    {
        var (code, _, error) = CliRunner.Run(["compare", "--horizon", "50", "--out", Path.Combine(_dir, "x")]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--horizon needs --checkpoint"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False);
    }

    [Test]
    public void Compare_CheckpointsOfDifferentFamilies_AreRefusedBeforeAnythingIsWritten()
    {
        string bandit = Path.Combine(_dir, "bandit");
        string mdp = Path.Combine(_dir, "mdp");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", bandit, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        Assert.That(CliRunner.Run(["train", "--preset", "mdp-h20-rl2-quick", "--out", mdp, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        var (code, _, error) = CliRunner.Run(["compare", "--checkpoint", bandit, "--checkpoint", mdp, "--out", Path.Combine(_dir, "x")]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("must share the task family"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False);
    }

    [Test]
    public void Compare_HorizonBeyondATransformersContext_IsRefused()
    {
        string run = Path.Combine(_dir, "transformer");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "1", "--set", "policy.kind=transformer", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        var (code, _, error) = CliRunner.Run(["compare", "--checkpoint", run, "--horizon", "100000", "--out", Path.Combine(_dir, "x")]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--horizon 100000: the policy of").And.Contain("accepts at most"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False);
    }

    private static double[] Returns(string dir, string method)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        foreach (var m in json.RootElement.GetProperty("sets")[0].GetProperty("methods").EnumerateArray())
        {
            if (m.GetProperty("name").GetString() == method)
            {
                return [.. m.GetProperty("taskReturns").EnumerateArray().Select(r => r.GetDouble())];
            }
        }

        throw new AssertionException($"no method '{method}' in {dir}/evaluation.json");
    }

    [Test]
    public void Compare_NoFamily_TrainsTheRandomMdpPresetsAndSaysWhatItShows()
    {
        string outDir = Path.Combine(_dir, "compare-mdp");
        var (code, output, error) = CliRunner.Run(["compare", "--tasks", "40", "--iterations", "1", "--out", outDir, "--set", "ppo.batchSteps=200", "--set", "ppo.minibatchSequences=10", "--set", "evaluation.interval=1"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("training mdp-h20-rl3-quick").And.Contain("training mdp-h20-rl2-quick").And.Contain("mdp-10x5, H = 20"));
        Assert.That(output, Does.Contain("What this shows: RL³").And.Contain("played the same 40 held-out random MDPs").And.Contain("RL³ − RL² = "));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        string summary = json.RootElement.GetProperty("summary").GetString()!;
        Assert.That(summary, Does.StartWith("What this shows: "));
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.That(html, Does.Contain("<p class=\"summary\">What this shows: "));
        Assert.That(html, Does.Contain("random MDPs (10 states, 5 actions"));
    }

    [Test]
    public void Presets_ListsAndPrintsJson()
    {
        var list = CliRunner.Run("presets");
        Assert.That(list.Output, Does.Contain("bandits-h10-rl3-quick").And.Contain("grid13-h350-rl3"));
        var one = CliRunner.Run("presets", "bandits-h10-rl2-quick", "--set", "ppo.seed=7");
        Assert.That(one.ExitCode, Is.EqualTo(0));
        Assert.That(Core.Training.TrainingPreset.FromJson(one.Output).Ppo.Seed, Is.EqualTo(7UL));
    }

    private static string[] DeterministicColumns(string csv)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !header[i].StartsWith("time/", StringComparison.Ordinal) && header[i] != "charts/steps_per_second").ToArray();
        return [.. lines.Select(l => string.Join(',', keep.Select(i => l.Split(',')[i])))];
    }
}
