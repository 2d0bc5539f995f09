namespace RL3.Cli;

/// <summary>The files of one training run directory (<c>rl3 train --out DIR</c>).</summary>
internal sealed class RunDirectory
{
    public const string PresetFile = "preset.json";
    public const string MetricsFile = "metrics.csv";
    public const string CheckpointFile = "checkpoint.bin";
    public const string EvaluationFile = "evaluation.json";
    public const string ReportFile = "report.html";

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string Preset => System.IO.Path.Combine(Path, PresetFile);

    public string Metrics => System.IO.Path.Combine(Path, MetricsFile);

    public string Checkpoint => System.IO.Path.Combine(Path, CheckpointFile);

    public string Evaluation => System.IO.Path.Combine(Path, EvaluationFile);

    public string Report => System.IO.Path.Combine(Path, ReportFile);

    /// <summary>Creates the directory; a file in the way is a user error.</summary>
    public void Create()
    {
        if (File.Exists(Path))
        {
            throw new CliException($"--out '{Path}' is a file, not a directory");
        }

        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot create the output directory '{Path}': {ex.Message}");
        }
    }

    /// <summary>Resolves <c>--checkpoint DIR_OR_FILE</c>: a run directory, or a checkpoint file next to its preset.json.</summary>
    public static (RunDirectory Run, string CheckpointPath) ForCheckpoint(string dirOrFile)
    {
        string full = System.IO.Path.GetFullPath(dirOrFile);
        if (Directory.Exists(full))
        {
            var run = new RunDirectory(full);
            if (!File.Exists(run.Checkpoint))
            {
                throw new CliException($"no checkpoint in '{full}' (expected {CheckpointFile}; train with 'rl3 train --out {dirOrFile}')");
            }

            return (run, run.Checkpoint);
        }

        if (File.Exists(full))
        {
            return (new RunDirectory(System.IO.Path.GetDirectoryName(full)!), full);
        }

        throw new CliException($"checkpoint '{dirOrFile}' does not exist");
    }
}
