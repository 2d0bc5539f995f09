namespace RL3.Cli.Tests;

/// <summary>Runs <c>rl3</c> in-process and captures stdout, stderr and the exit code.</summary>
internal static class CliRunner
{
    public const string TinyPreset = "bandits-h10-rl3-quick";

    /// <summary>Overrides that make a quick preset train in about a second.</summary>
    public static readonly string[] Tiny =
    [
        "--set", "ppo.batchSteps=200", "--set", "ppo.minibatchSequences=10", "--set", "evaluation.taskCount=40", "--set", "evaluation.interval=2",
    ];

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "rl3-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
