using System.Globalization;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary><c>rl3 train --preset NAME --out DIR [--set key=value]… [--iterations N] [--stop-after N] [--resume]</c>.</summary>
internal static class TrainCommand
{
    public static int Run(CommandLine line, TextWriter output, CancellationToken cancellationToken)
    {
        string? name = line.String("preset");
        string? outDir = line.String("out");
        int? iterations = line.String("iterations") is null ? null : line.Int("iterations", 0, 1, 10_000_000);
        int? stopAfter = line.String("stop-after") is null ? null : line.Int("stop-after", 0, 1, 10_000_000);
        bool resume = line.Flag("resume");
        var settings = line.AcceptSettings();
        line.RejectUnknown();
        if (outDir is null)
        {
            throw new CliException("train needs --out DIR (the run directory for preset.json, metrics.csv, checkpoint.bin, evaluation.json, report.html)");
        }

        var run = new RunDirectory(outDir);
        TrainingPreset preset;
        if (resume)
        {
            if (!File.Exists(run.Checkpoint) || !File.Exists(run.Preset))
            {
                throw new CliException($"--resume needs a run directory with {RunDirectory.PresetFile} and {RunDirectory.CheckpointFile}; '{run.Path}' has none");
            }

            preset = Presets.Load(run.Preset);
            if (name is not null && !string.Equals(name, preset.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"--preset {name} does not match the run being resumed ('{preset.Name}' in {run.Preset})");
            }
        }
        else
        {
            if (name is null)
            {
                throw new CliException("train needs --preset NAME (see 'rl3 presets')");
            }

            preset = Presets.Get(name);
            if (File.Exists(run.Checkpoint))
            {
                throw new CliException($"'{run.Path}' already holds a run ({RunDirectory.CheckpointFile}); add --resume to continue it, or choose another --out");
            }
        }

        Presets.Apply(preset, settings);
        if (iterations is { } n)
        {
            Presets.Set(preset, "ppo.iterations", n.ToString(CultureInfo.InvariantCulture));
        }

        run.Create();

        var console = TrainingConsole.For(output);
        var outcome = TrainingRun.Execute(preset, run, resume, console, TrainingRun.AlgorithmLabel(preset.Algorithm), cancellationToken, stopAfter);
        if (outcome.Interrupted)
        {
            return cancellationToken.IsCancellationRequested ? 130 : 0;
        }

        output.WriteLine($"wrote {run.Path}: {RunDirectory.PresetFile}, {RunDirectory.MetricsFile}, {RunDirectory.CheckpointFile}, {RunDirectory.EvaluationFile}, {RunDirectory.ReportFile}");
        return 0;
    }
}
