namespace RL3.Cli.Tests;

/// <summary><c>rl3 train --set policy.backend=torchsharp</c>: the CLI carries the TorchSharp backend (libtorch CPU, linux-x64).</summary>
public sealed class TorchSharpBackendTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Train_BackendTorchSharp_TrainsEvaluatesAndRecordsTheBackend()
    {
        Assume.That(OperatingSystem.IsLinux(), Is.True, "the CLI carries libtorch for linux-x64 only");
        string run = Path.Combine(_dir, "run");
        var (code, output, error) = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "2", .. CliRunner.Tiny,
            "--set", "policy.backend=torchsharp", "--set", "policy.threadCount=1"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("held-out RL³"));
        var preset = Core.Training.TrainingPreset.FromJson(File.ReadAllText(Path.Combine(run, "preset.json")));
        Assert.That((preset.Policy.Backend, preset.Policy.ThreadCount), Is.EqualTo(("torchsharp", (int?)1)));
        var evaluated = CliRunner.Run("evaluate", "--checkpoint", run, "--tasks", "20");
        Assert.That(evaluated.ExitCode, Is.EqualTo(0), evaluated.Error);
    }

    [Test]
    public void Train_BackendUnknownOrCudaMissing_PrintsOneLineAndExits2()
    {
        var unknown = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", Path.Combine(_dir, "a"), .. CliRunner.Tiny, "--set", "policy.backend=onnx"]);
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error, Does.Contain("policy.backend must be one of inhouse, torchsharp"));
        var cuda = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", Path.Combine(_dir, "b"), .. CliRunner.Tiny, "--set", "policy.device=cuda"]);
        Assert.That(cuda.ExitCode, Is.EqualTo(2));
        Assert.That(cuda.Error, Does.Contain("needs policy.backend = torchsharp"));
    }
}
