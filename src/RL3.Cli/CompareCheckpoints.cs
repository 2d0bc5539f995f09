using System.Diagnostics;
using System.Globalization;
using RL3.Cli.Reports;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>
/// <c>rl3 compare --checkpoint A --checkpoint B … [--horizon H]</c>: already trained runs and the classical baselines
/// on the same M held-out tasks (paired), optionally at another interaction budget than the runs were trained at.
/// </summary>
/// <remarks>
/// At another H the meta-environment is rebuilt with that budget and the runs' own inner-estimator settings; the
/// observation's time feature is then <c>t / H</c> of the evaluation budget (it still runs from 0 to 1 over the
/// meta-episode), and the policy must accept H tokens (<see cref="IMetaPolicy.MaxSequenceLength"/>: unlimited for
/// GRU and MLP policies, the context length for transformers).
/// </remarks>
internal static class CompareCheckpoints
{
    public static int Run(IReadOnlyList<string> checkpoints, int taskCount, ulong? seedOverride, int? horizon, ActionSelection? selectionOverride, string outPath, TextWriter output)
    {
        // Every run is loaded and checked before the output directory is created and locked.
        var loaded = new List<LoadedRun>();
        try
        {
            foreach (string checkpoint in checkpoints)
            {
                loaded.Add(Load(checkpoint));
            }

            var first = loaded[0];
            foreach (var other in loaded.Skip(1))
            {
                if (!string.Equals(other.Preset.Task, first.Preset.Task, StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException($"--checkpoint {other.Path} was trained on '{other.Preset.Task}' and --checkpoint {first.Path} on '{first.Preset.Task}': compared runs must share the task family");
                }

                if (horizon is null && other.Preset.InteractionBudget != first.Preset.InteractionBudget)
                {
                    throw new CliException($"--checkpoint {other.Path} was trained at H = {other.Preset.InteractionBudget} and --checkpoint {first.Path} at H = {first.Preset.InteractionBudget}: give --horizon H to evaluate both at one H");
                }
            }

            int h = horizon ?? first.Preset.InteractionBudget;
            ulong seed = seedOverride ?? first.Preset.Evaluation.Seed;
            var environments = new List<MetaEnvironmentSpec>();
            foreach (var run in loaded)
            {
                if (h > run.Policy.MaxSequenceLength)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--horizon {h}: the policy of {run.Path} accepts at most {run.Policy.MaxSequenceLength} tokens per meta-episode (its context length); evaluate at H ≤ {run.Policy.MaxSequenceLength}"));
                }

                environments.Add(h == run.Preset.InteractionBudget
                    ? run.Spec
                    : MetaEnvironmentSpec.ForAlgorithm(TaskCatalog.Create(run.Preset.Task), run.Preset.Algorithm, h, run.Spec.Inner ?? run.Preset.Inner));
            }

            var outDir = new RunDirectory(outPath);
            outDir.Create();
            using var outLock = RunLock.Acquire(outDir, "compare");
            return Evaluate(loaded, environments, h, taskCount, seed, selectionOverride, outDir, output);
        }
        finally
        {
            foreach (var run in loaded)
            {
                run.Policy.Dispose();
            }
        }
    }

    private static LoadedRun Load(string checkpoint)
    {
        var (run, checkpointPath) = RunDirectory.ForCheckpoint(checkpoint);
        if (!File.Exists(run.Preset))
        {
            throw new CliException($"no {RunDirectory.PresetFile} next to checkpoint '{checkpointPath}' (the run's preset is needed to rebuild the policy)");
        }

        var preset = Presets.Load(run.Preset);
        var (policy, spec, iteration) = TrainingRun.LoadPolicy(preset, checkpointPath);
        return new LoadedRun(checkpoint, run, preset, policy, spec, iteration);
    }

    private static int Evaluate(List<LoadedRun> runs, List<MetaEnvironmentSpec> environments, int h, int taskCount, ulong seed, ActionSelection? selectionOverride, RunDirectory outDir, TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var first = runs[0].Preset;
        var labels = Labels(runs);
        var methods = new List<MethodSummary>();
        bool bootstrap = EvaluationSet.AlwaysBootstrap(first.Task);
        List<GridVisits> visits = [];
        var selections = new HashSet<ActionSelection>();
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var selection = selectionOverride ?? run.Preset.Evaluation.Selection;
            selections.Add(selection);
            var clock = Stopwatch.StartNew();
            var result = PolicyEvaluations.Evaluate(run.Policy, environments[i], taskCount, seed, labels[i], selection);
            methods.Add(MethodSummary.From(result.Result, MethodSummary.LearnedKind, bootstrap));
            if (i == 0)
            {
                visits = [.. result.Visits];
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{labels[i]}: {run.Preset.Name} (iteration {run.Iteration}, trained at H = {run.Preset.InteractionBudget}) at H = {h}, {EvaluateCommand.SelectionName(selection)} actions: {result.Result.Mean:0.000} ± {result.Result.StandardError:0.000} ({clock.Elapsed.TotalSeconds:0.0} s)"));
        }

        var clockBaselines = Stopwatch.StartNew();
        var distribution = TaskCatalog.Create(first.Task);
        var baselines = Baselines.For(distribution, h);
        output.WriteLine($"evaluating {baselines.Count} baselines ({string.Join(", ", baselines.Select(b => b.Name))}) on the same {taskCount} held-out tasks…");
        var report = new MetaEvaluator(new EvaluationOptions { TaskCount = taskCount, InteractionBudget = h, Seed = seed }).Evaluate(distribution, baselines);
        methods.AddRange(report.Methods.Select(m => MethodSummary.From(m, MethodSummary.BaselineKind, bootstrap)));
        var baselineTime = clockBaselines.Elapsed;

        var set = new EvaluationSet(first.Task, h, taskCount, seed, false, methods) { Visits = visits };
        var document = new EvaluationDocument("compare", string.Join(" vs ", runs.Select(r => r.Preset.Name)), string.Join(", ", runs.Select(r => r.Run.Checkpoint)), null, [set])
        {
            Selection = selections.Count == 1 ? EvaluateCommand.SelectionName(selections.First()) : null,
        };
        string trainedAt = string.Join(", ", runs.Select(r => r.Preset.InteractionBudget).Distinct().Select(x => x.ToString(CultureInfo.InvariantCulture)));
        string summary = CompareCommand.Summary(set, null, runs.Select(r => r.Iteration).Distinct().Count() == 1 ? runs[0].Iteration : null);
        if (runs.Any(r => r.Preset.InteractionBudget != h))
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" The agents were trained at H = {trainedAt} and are evaluated at H = {h} without retraining.");
        }

        document = document with { Summary = summary };
        document.Save(outDir.Evaluation);
        CompareCommand.PrintTable(output, set);
        output.WriteLine(summary);
        output.WriteLine();

        var model = new ReportModel { Title = $"rl3 compare: {string.Join(" vs ", labels)} (trained runs) vs classical baselines on {first.Task}, H = {h}", Evaluation = document };
        model.Facts.Add(new("task distribution", $"{first.Task} ({distribution.ActionCount} actions), H = {h}"));
        model.Facts.Add(new("held-out tasks", string.Create(CultureInfo.InvariantCulture, $"{taskCount} (test split, seed {seed}); every method plays the same tasks with the same task random streams")));
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            model.Facts.Add(new(labels[i], string.Create(CultureInfo.InvariantCulture, $"preset {r.Preset.Name}: {r.Preset.Policy.Kind.ToString().ToLowerInvariant()} policy trained at H = {r.Preset.InteractionBudget}, iteration {r.Iteration}, checkpoint {r.Run.Checkpoint}")));
            if (File.Exists(r.Run.Metrics))
            {
                model.Runs.Add(TrainingCurve.Read(labels[i], r.Run.Metrics, r.Preset.EnvironmentCount));
            }
        }

        model.Facts.Add(new("total time", string.Create(CultureInfo.InvariantCulture, $"{total.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores (baselines {baselineTime.TotalSeconds:0.0} s)")));
        HtmlReport.Write(model, outDir.Report);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalSeconds:0.0} s; wrote {outDir.Report} and {outDir.Evaluation}"));
        return 0;
    }

    /// <summary>"RL³", "RL²", …; the preset names where two runs share an algorithm, and the directory names where those clash too.</summary>
    private static List<string> Labels(List<LoadedRun> runs)
    {
        var labels = runs.Select(r => TrainingRun.AlgorithmLabel(r.Preset.Algorithm)).ToList();
        if (labels.Distinct().Count() == labels.Count)
        {
            return labels;
        }

        labels = runs.Select(r => r.Preset.Name).ToList();
        return labels.Distinct().Count() == labels.Count ? labels : runs.Select(r => System.IO.Path.GetFileName(r.Run.Path.TrimEnd('/', '\\'))).ToList();
    }

    private sealed record LoadedRun(string Path, RunDirectory Run, TrainingPreset Preset, IMetaPolicy Policy, MetaEnvironmentSpec Spec, int Iteration);
}
