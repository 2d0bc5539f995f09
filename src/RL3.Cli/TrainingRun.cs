using System.Diagnostics;
using System.Globalization;
using RL3.Cli.Reports;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Cli;

/// <summary>A validated preset with its environment recipe, policy and trainer, built before any file is written.</summary>
internal sealed record PreparedRun(TrainingPreset Preset, MetaEnvironmentSpec Spec, IMetaPolicy Policy, PpoTrainer Trainer) : IDisposable
{
    /// <summary>Disposes the trainer and the policy.</summary>
    public void Dispose()
    {
        Trainer.Dispose();
        Policy.Dispose();
    }
}

/// <summary>What one training run produced.</summary>
internal sealed record TrainingOutcome(TrainingPreset Preset, RunDirectory Run, int Iterations, long TotalSteps, TimeSpan TrainingTime, PolicyEvaluation? Final, bool Interrupted);

/// <summary>
/// One training run into a directory: preset.json, metrics.csv, checkpoint.bin (resumable bit-for-bit), the final
/// held-out evaluation (evaluation.json) and report.html.
/// </summary>
internal static class TrainingRun
{
    /// <summary>
    /// Validates <paramref name="preset"/> and builds its environment, policy and trainer, before anything is written:
    /// a rejected option leaves no directory behind. <paramref name="settings"/> (the <c>--set</c> overrides) let the
    /// error name the key and the value given.
    /// </summary>
    /// <param name="preset">The run specification.</param>
    /// <param name="settings">The <c>--set</c> overrides already applied (named in errors).</param>
    /// <param name="shardExecutor">Where the shards run (<c>rl3 train --cluster</c>); null for this process.</param>
    public static PreparedRun Prepare(TrainingPreset preset, IReadOnlyList<KeyValuePair<string, string>> settings, IShardExecutor? shardExecutor = null)
    {
        Presets.Validate(preset, settings);
        var spec = preset.CreateEnvironment();
        var policy = preset.CreatePolicy(spec);
        try
        {
            return new PreparedRun(preset, spec, policy, new PpoTrainer(policy, spec, preset.Ppo, shardExecutor));
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>Trains a prepared run into <paramref name="run"/> (created and locked by the caller).</summary>
    public static TrainingOutcome Execute(PreparedRun prepared, RunDirectory run, bool resume, TrainingConsole console, string methodName, CancellationToken cancellationToken, int? stopAfter = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (preset, spec, policy, trainer) = (prepared.Preset, prepared.Spec, prepared.Policy, prepared.Trainer);
        if (resume)
        {
            LoadCheckpoint(trainer, run.Checkpoint);
            TruncateMetrics(run.Metrics, trainer.Iteration);
            File.WriteAllText(run.Preset, preset.ToJson());
        }
        else
        {
            File.WriteAllText(run.Preset, preset.ToJson());
            foreach (string stale in new[] { run.Metrics, run.Checkpoint, run.Evaluation, run.Report })
            {
                File.Delete(stale);
            }
        }

        int start = trainer.Iteration;
        int total = stopAfter is { } more ? Math.Min(preset.Ppo.Iterations, start + more) : preset.Ppo.Iterations;
        console.Line(string.Create(CultureInfo.InvariantCulture, $"{(resume ? "resuming" : "training")} {preset.Name}: {spec.Name} on {preset.Task}, H = {preset.InteractionBudget}, {preset.EnvironmentCount} meta-episodes per iteration, iterations {start}→{total}, {CoresLabel(preset.Ppo.MaxDegreeOfParallelism)} → {run.Path}"));

        var clock = Stopwatch.StartNew();
        TrainingSummary summary;
        using (var metrics = new MetricsCsvCallback(run.Metrics, append: resume))
        {
            var evaluation = new EvaluationCallback(preset.Evaluation.Interval, preset.Evaluation.TaskCount, preset.Evaluation.Seed, preset.Evaluation.Selection);
            var checkpoint = new CheckpointCallback(run.Checkpoint, Math.Max(1, Math.Min(10, preset.Evaluation.Interval)));
            // The evaluation callback runs first so that its held-out metrics land in the same CSV row.
            ITrainingCallback[] callbacks = [evaluation, metrics, checkpoint];
            summary = start >= total
                ? new TrainingSummary(trainer.Iteration, trainer.TotalSteps, false, null)
                : console.Track(preset.Name, start, total, progress => trainer.Train(total - start, callbacks, progress, cancellationToken));
        }

        var trainingTime = clock.Elapsed;
        if (summary.StoppedEarly || trainer.Iteration < preset.Ppo.Iterations)
        {
            trainer.SaveCheckpoint(run.Checkpoint);
            console.Line($"stopped at iteration {trainer.Iteration} of {preset.Ppo.Iterations} (checkpoint saved); continue with: rl3 train --out {run.Path} --resume");
            return new TrainingOutcome(preset, run, trainer.Iteration, trainer.TotalSteps, trainingTime, null, Interrupted: true);
        }

        if (!File.Exists(run.Checkpoint))
        {
            trainer.SaveCheckpoint(run.Checkpoint);
        }

        console.Line(string.Create(CultureInfo.InvariantCulture, $"trained {preset.Name}: {trainer.Iteration} iterations, {trainer.TotalSteps:#,0} steps in {trainingTime.TotalSeconds:0.0} s; evaluating on {preset.Evaluation.TaskCount} held-out tasks…"));
        clock.Restart();
        var final = PolicyEvaluations.Evaluate(policy, spec, preset.Evaluation.TaskCount, preset.Evaluation.Seed, methodName, preset.Evaluation.Selection);
        console.Line(string.Create(CultureInfo.InvariantCulture, $"held-out {methodName}: {final.Result.Mean:0.000} ± {final.Result.StandardError:0.000} ({preset.Evaluation.TaskCount} tasks, {clock.Elapsed.TotalSeconds:0.0} s)"));

        var document = new EvaluationDocument("train", preset.Name, run.Checkpoint, trainer.Iteration,
        [
            new EvaluationSet(preset.Task, preset.InteractionBudget, preset.Evaluation.TaskCount, preset.Evaluation.Seed, false, [MethodSummary.From(final.Result, MethodSummary.LearnedKind, EvaluationSet.AlwaysBootstrap(preset.Task))]) { Visits = [.. final.Visits] },
        ])
        {
            Selection = EvaluateCommand.SelectionName(preset.Evaluation.Selection),
        };
        document.Save(run.Evaluation);
        HtmlReport.Write(RunReport(preset, run, document, methodName, trainer.Iteration, trainer.TotalSteps), run.Report);
        return new TrainingOutcome(preset, run, trainer.Iteration, trainer.TotalSteps, trainingTime, final, Interrupted: false);
    }

    /// <summary>Builds the trainer of a run directory's preset and restores its checkpoint (for evaluation).</summary>
    public static (IMetaPolicy Policy, MetaEnvironmentSpec Spec, int Iteration) LoadPolicy(TrainingPreset preset, string checkpointPath)
    {
        Presets.Validate(preset);
        var spec = preset.CreateEnvironment();
        var policy = preset.CreatePolicy(spec);
        try
        {
            using var trainer = new PpoTrainer(policy, spec, preset.Ppo);
            LoadCheckpoint(trainer, checkpointPath);
            return (policy, spec, trainer.Iteration);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    public static ReportModel RunReport(TrainingPreset preset, RunDirectory run, EvaluationDocument document, string methodName, int iterations, long totalSteps)
    {
        var model = new ReportModel { Title = $"rl3 run: {preset.Name}", Evaluation = document };
        model.Facts.Add(new("preset", preset.Name));
        if (preset.Description.Length > 0)
        {
            model.Facts.Add(new("description", preset.Description));
        }

        model.Facts.Add(new("task distribution", preset.Task));
        model.Facts.Add(new("algorithm", AlgorithmLabel(preset.Algorithm)));
        model.Facts.Add(new("policy", preset.Policy.Kind.ToString().ToLowerInvariant()));
        model.Facts.Add(new("interaction budget H", preset.InteractionBudget.ToString(CultureInfo.InvariantCulture)));
        model.Facts.Add(new("iterations", string.Create(CultureInfo.InvariantCulture, $"{iterations} ({totalSteps:#,0} environment steps)")));
        model.Facts.Add(new("run directory", run.Path));
        model.Runs.Add(TrainingCurve.Read(methodName, run.Metrics, preset.EnvironmentCount));
        return model;
    }

    /// <summary>"2 cores", or "1 of 2 cores" where <c>ppo.maxDegreeOfParallelism</c> limits the run.</summary>
    public static string CoresLabel(int maxDegreeOfParallelism)
    {
        int all = Environment.ProcessorCount;
        int used = maxDegreeOfParallelism < 1 ? all : Math.Min(maxDegreeOfParallelism, all);
        string cores = all == 1 ? "core" : "cores";
        return used == all
            ? string.Create(CultureInfo.InvariantCulture, $"{all} {cores}")
            : string.Create(CultureInfo.InvariantCulture, $"{used} of {all} cores");
    }

    public static string AlgorithmLabel(MetaAlgorithm algorithm) => algorithm switch
    {
        MetaAlgorithm.Rl2 => "RL²",
        MetaAlgorithm.Rl3 => "RL³",
        MetaAlgorithm.Rl3Coarse => "RL³-coarse",
        MetaAlgorithm.Rl3QLearning => "RL³ (Q-learning)",
        _ => algorithm.ToString(),
    };

    private static void LoadCheckpoint(PpoTrainer trainer, string path)
    {
        try
        {
            trainer.LoadCheckpoint(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            throw new CliException($"cannot load checkpoint '{path}': {Presets.FirstSentence(ex.Message)}");
        }
    }

    /// <summary>Drops the rows of iterations after the checkpoint (written before an interruption) so resumed rows follow on exactly.</summary>
    private static void TruncateMetrics(string path, int completedIterations)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return;
        }

        int column = Array.IndexOf(lines[0].Split(','), TrainingMetricKeys.Iteration);
        var kept = new List<string> { lines[0] };
        foreach (string line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (column >= 0 && column < cells.Length && double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double it) && it < completedIterations)
            {
                kept.Add(line);
            }
        }

        if (kept.Count != lines.Length)
        {
            File.WriteAllText(path, string.Join('\n', kept) + "\n");
        }
    }
}
