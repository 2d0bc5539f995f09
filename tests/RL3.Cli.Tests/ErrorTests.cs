namespace RL3.Cli.Tests;

/// <summary>Every user error prints exactly one line 'rl3: …' on stderr and exits with code 2.</summary>
public sealed class ErrorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [TestCase(new[] { "train", "--preset", "no-such-preset", "--out", "x" }, "unknown preset 'no-such-preset'; presets: bandits-h10-rl2-quick")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick" }, "train needs --out DIR")]
    [TestCase(new[] { "train", "--out", "x" }, "train needs --preset NAME")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick", "--out", "x", "--set", "ppo.bogus=1" }, "--set ppo.bogus=1: Unknown preset key 'ppo.bogus'")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick", "--out", "x", "--set", "ppo.iterations=many" }, "--set ppo.iterations=many: Value 'many' does not fit preset key 'ppo.iterations'")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick", "--out", "x", "--set", "ppo.learningRate=-1" }, "invalid preset 'bandits-h10-rl3-quick'")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick", "--out", "x", "--iterations", "0" }, "--iterations must be an integer in [1,")]
    [TestCase(new[] { "train", "--out", "x", "--resume" }, "--resume needs a run directory with preset.json and checkpoint.bin")]
    [TestCase(new[] { "evaluate" }, "evaluate needs --checkpoint DIR_OR_FILE")]
    [TestCase(new[] { "evaluate", "--checkpoint", "missing" }, "checkpoint 'missing' does not exist")]
    [TestCase(new[] { "evaluate", "--checkpoint", "missing", "--selection", "best" }, "--selection must be 'greedy' or 'sample' (alias 'stochastic'), got 'best'")]
    [TestCase(new[] { "presets", "no-such-preset" }, "unknown preset 'no-such-preset'")]
    [TestCase(new[] { "compare", "--rl3", "bandits-h10-rl3-quick" }, "must train on the same task family and H")]
    [TestCase(new[] { "compare", "--tasks", "-5" }, "--tasks must be an integer")]
    [TestCase(new[] { "compare", "--family", "grids" }, "--family must be one of mdp, bandits, got 'grids'")]
    [TestCase(new[] { "worker" }, "worker needs --cluster HOST:PORT")]
    [TestCase(new[] { "worker", "--cluster", "127.0.0.1:1", "--port", "70000" }, "--port must be a TCP port in [1, 65535], got '70000'")]
    [TestCase(new[] { "worker", "--cluster", "127.0.0.1:1", "--address", "0.0.0.0" }, "--address must be an IP address other machines can reach (not 0.0.0.0)")]
    [TestCase(new[] { "worker", "--cluster", "127.0.0.1:1", "--key-file", "k.key", "--tls-certificate", "missing.pfx" }, "--tls-certificate missing.pfx: no such file")]
    [TestCase(new[] { "train", "--preset", "bandits-h10-rl3-quick", "--out", "x", "--straggler-timeout", "5" }, "--straggler-timeout, --min-workers and --tls-certificate need --cluster HOST:PORT")]
    public void Command_UserError_PrintsOneLineAndExits2(string[] args, string expected)
    {
        var (code, _, error) = Run(args);
        AssertOneLineError(code, error, expected);
    }

    [Test]
    public void Worker_DamagedKeyFile_PrintsOneLineAndExits2()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.key"), "not a key");
        var (code, _, error) = Run(["worker", "--cluster", "127.0.0.1:1", "--key-file", "bad.key"]);
        AssertOneLineError(code, error, "--key-file bad.key: the cluster key file 'bad.key' does not hold a key");
    }

    [Test]
    public void Evaluate_CorruptedCheckpoint_PrintsOneLineAndExits2()
    {
        File.WriteAllText(Path.Combine(_dir, "preset.json"), Core.Training.PresetCatalog.GetJson(CliRunner.TinyPreset));
        File.WriteAllBytes(Path.Combine(_dir, "checkpoint.bin"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        var (code, _, error) = CliRunner.Run("evaluate", "--checkpoint", _dir);
        AssertOneLineError(code, error, "cannot load checkpoint");
    }

    [Test]
    public void Evaluate_DirectoryWithoutCheckpoint_PrintsOneLineAndExits2()
    {
        var (code, _, error) = CliRunner.Run("evaluate", "--checkpoint", _dir);
        AssertOneLineError(code, error, "no checkpoint in");
    }

    [Test]
    public void Evaluate_CheckpointWithoutPreset_PrintsOneLineAndExits2()
    {
        string file = Path.Combine(_dir, "model.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        var (code, _, error) = CliRunner.Run("evaluate", "--checkpoint", file);
        AssertOneLineError(code, error, "no preset.json next to checkpoint");
    }

    [Test]
    public void Train_OutIsAFile_PrintsOneLineAndExits2()
    {
        string file = Path.Combine(_dir, "afile");
        File.WriteAllText(file, "x");
        var (code, _, error) = CliRunner.Run("train", "--preset", CliRunner.TinyPreset, "--out", file);
        AssertOneLineError(code, error, "is a file, not a directory");
    }

    [Test]
    public void Bench_OutsideACheckout_FindsNoRoot() =>
        Assert.That(BenchCommand.FindRepositoryRoot(Path.GetTempPath()), Is.Null);

    [Test]
    public void Bench_InsideTheCheckout_FindsTheRoot() =>
        Assert.That(BenchCommand.FindRepositoryRoot(TestContext.CurrentContext.TestDirectory), Is.Not.Null);

    [TestCase(new[] { "bench", "--filter", "*Gae*", "--join" }, new[] { "--filter", "*Gae*", "--join" })]
    [TestCase(new[] { "bench", "--", "--help" }, new[] { "--help" })]
    [TestCase(new[] { "bench" }, new string[0])]
    public void Bench_Arguments_GoToBenchmarkDotNetInOrder(string[] args, string[] forwarded)
    {
        var parsed = CliApplication.Parse(CliApplication.Create(TextWriter.Null, CancellationToken.None), args);
        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(BenchCommand.Forwarded(parsed), Is.EqualTo(forwarded));
    }

    private (int, string, string) Run(string[] args)
    {
        // Relative --out paths land in the per-test temporary directory.
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _dir;
        try
        {
            return CliRunner.Run(args);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private static void AssertOneLineError(int code, string error, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("rl3: "));
            Assert.That(error, Does.Contain(expected));
            Assert.That(error.TrimEnd('\n', '\r').Split('\n'), Has.Length.EqualTo(1));
        });
    }
}
