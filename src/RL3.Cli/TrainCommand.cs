using System.CommandLine;
using System.Globalization;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>
/// <c>rl3 train --preset NAME --out DIR [--set key=value]… [--iterations N] [--stop-after N] [--resume] [--shards S]
/// [--cluster HOST:PORT [--key-file FILE] [--cluster-name NAME] [--tls-certificate FILE] [--straggler-timeout SECONDS] [--min-workers N]]</c>.
/// </summary>
internal sealed class TrainCommand : Command
{
    private readonly Option<string?> _preset = CliOptions.Text("--preset", "NAME", "the preset to train (see 'rl3 presets'); optional with --resume");
    private readonly Option<string?> _out = CliOptions.Text("--out", "DIR", "the run directory: preset.json, metrics.csv, checkpoint.bin, evaluation.json, report.html");
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _settings = CliOptions.Settings("a preset override, repeatable, e.g. --set ppo.seed=3");
    private readonly Option<int?> _iterations = CliOptions.Count("--iterations", "N", "PPO iterations (the same as --set ppo.iterations=N)");
    private readonly Option<int?> _stopAfter = CliOptions.Count("--stop-after", "N", "pause with a checkpoint after N iterations of this call");
    private readonly Option<bool> _resume = CliOptions.Flag("--resume", "continue DIR's checkpoint bit-for-bit");
    private readonly Option<int?> _shards = CliOptions.Count("--shards", "S", "divide each iteration into S shards (the same as --set ppo.shards=S; S must divide the environments and the minibatch sequences): the same bits in one process or on a cluster");
    private readonly ClusterSettings _cluster = new();
    private readonly Option<int?> _straggler = CliOptions.Count("--straggler-timeout", "SECONDS", "with --cluster: give a worker's shards to another after SECONDS without an answer to one call (default 120)");
    private readonly Option<int?> _minWorkers = CliOptions.Count("--min-workers", "N", "with --cluster: wait for N workers before each iteration starts (default 1; the wait ends after 120 s)");

    public TrainCommand(TextWriter output, CancellationToken cancellationToken)
        : base("train", "meta-train a preset; --resume continues DIR's checkpoint bit-for-bit, --stop-after N pauses (with a checkpoint) after N iterations")
    {
        Add(_preset);
        Add(_out);
        Add(_settings);
        Add(_iterations);
        Add(_stopAfter);
        Add(_resume);
        Add(_shards);
        _cluster.AddTo(this);
        Add(_straggler);
        Add(_minWorkers);
        SetAction(result => Run(result, result.GetValue(_preset), result.GetValue(_out), result.GetValue(_settings) ?? [], result.GetValue(_iterations), result.GetValue(_stopAfter), result.GetValue(_resume), output, cancellationToken));
    }

    private int Run(ParseResult result, string? name, string? outDir, IReadOnlyList<KeyValuePair<string, string>> settings, int? iterations, int? stopAfter, bool resume, TextWriter output, CancellationToken cancellationToken)
    {
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

        var overrides = iterations is { } n ? [.. settings, new("ppo.iterations", n.ToString(CultureInfo.InvariantCulture))] : settings;
        if (result.GetValue(_shards) is { } shards)
        {
            overrides = [.. overrides, new("ppo.shards", shards.ToString(CultureInfo.InvariantCulture))];
        }

        Presets.Apply(preset, overrides);
        string? cluster = result.GetValue(_cluster.Cluster);
        if (cluster is null && (result.GetValue(_straggler) is not null || result.GetValue(_minWorkers) is not null || result.GetValue(_cluster.Tls) is not null))
        {
            throw new CliException("--straggler-timeout, --min-workers and --tls-certificate need --cluster HOST:PORT");
        }

        // Everything is validated and built before the directory is created; the lock is held until the run ends.
        Presets.Validate(preset, overrides);
        using var learner = cluster is null ? null : ConnectLearner(result, cluster, preset, output, cancellationToken);
        using var prepared = TrainingRun.Prepare(preset, overrides, learner?.Executor);
        run.Create();
        using var runLock = RunLock.Acquire(run, "train");
        if (!resume && File.Exists(run.Checkpoint))
        {
            throw new CliException($"'{run.Path}' already holds a run ({RunDirectory.CheckpointFile}); add --resume to continue it, or choose another --out");
        }

        var console = TrainingConsole.For(output);
        console.Detail = learner is null ? null : learner.Detail;
        var outcome = TrainingRun.Execute(prepared, run, resume, console, TrainingRun.AlgorithmLabel(preset.Algorithm), cancellationToken, stopAfter);
        if (outcome.Interrupted)
        {
            return cancellationToken.IsCancellationRequested ? 130 : 0;
        }

        output.WriteLine($"wrote {run.Path}: {RunDirectory.PresetFile}, {RunDirectory.MetricsFile}, {RunDirectory.CheckpointFile}, {RunDirectory.EvaluationFile}, {RunDirectory.ReportFile}");
        return 0;
    }

    private DistributedLearner ConnectLearner(ParseResult result, string cluster, TrainingPreset preset, TextWriter output, CancellationToken cancellationToken)
    {
        var options = _cluster.Read(result, cluster);
        var distributed = new RL3.Core.Orleans.Learner.DistributedTrainingOptions();
        if (result.GetValue(_straggler) is { } seconds)
        {
            distributed.StragglerTimeout = TimeSpan.FromSeconds(seconds);
        }

        if (result.GetValue(_minWorkers) is { } minimum)
        {
            distributed.MinimumWorkers = minimum;
        }

        string description = ClusterSettings.Describe(options, result, _cluster);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"learner: {preset.Ppo.Shards} shard{(preset.Ppo.Shards == 1 ? "" : "s")} on {description}; waiting for workers…"));
        output.Flush();
        return DistributedLearner.Connect(options, distributed, preset, description, cancellationToken);
    }
}
