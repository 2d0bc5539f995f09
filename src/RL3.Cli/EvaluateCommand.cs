using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RL3.Cli.Reports;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;

namespace RL3.Cli;

/// <summary><c>rl3 evaluate --checkpoint DIR_OR_FILE [--ood] [--tasks M] [--seed S] [--selection greedy|sample] [--out DIR]</c>.</summary>
internal sealed class EvaluateCommand : Command
{
    private readonly Option<string?> _checkpoint = CliOptions.Text("--checkpoint", "DIR_OR_FILE", "a run directory of 'rl3 train' or its checkpoint.bin");
    private readonly Option<bool> _ood = CliOptions.Flag("--ood", "also evaluate on the family's out-of-distribution variants");
    private readonly Option<int?> _tasks = CliOptions.Count("--tasks", "M", "held-out test tasks (default: the preset's evaluation.taskCount)");
    private readonly Option<ulong?> _seed = CliOptions.Seed("seed of the held-out test split (default: the preset's evaluation.seed)");
    private readonly Option<ActionSelection?> _selection = CliOptions.Selection("greedy or sampled actions (default: the preset's evaluation.selection)");
    private readonly Option<string?> _out = CliOptions.Text("--out", "DIR", "where evaluation.json and report.html go (default: the run directory)");

    public EvaluateCommand(TextWriter output)
        : base("evaluate", "evaluate a trained agent on held-out tasks; rewrites evaluation.json and report.html")
    {
        Add(_checkpoint);
        Add(_ood);
        Add(_tasks);
        Add(_seed);
        Add(_selection);
        Add(_out);
        SetAction(result => Run(result.GetValue(_checkpoint), result.GetValue(_ood), result.GetValue(_tasks), result.GetValue(_seed), result.GetValue(_selection), result.GetValue(_out), output));
    }

    /// <summary>The out-of-distribution variants of each training family (the paper's OOD tests).</summary>
    public static IReadOnlyList<string> OodVariants(string task) => task.ToLowerInvariant() switch
    {
        TaskCatalog.BanditsK5 => [TaskCatalog.BanditsK5Ood],
        TaskCatalog.Mdp10x5 => [TaskCatalog.Mdp10x5Ood],
        TaskCatalog.Grid13x13 => [TaskCatalog.Grid13x13Dense, TaskCatalog.Grid13x13Deterministic, TaskCatalog.Grid13x13Watery, TaskCatalog.Grid13x13Dangerous, TaskCatalog.Grid13x13Corner],
        _ => [],
    };

    private static int Run(string? checkpointText, bool ood, int? tasks, ulong? seedOverride, ActionSelection? selectionOverride, string? outDir, TextWriter output)
    {
        string checkpoint = checkpointText ?? throw new CliException("evaluate needs --checkpoint DIR_OR_FILE (a run directory of 'rl3 train' or its checkpoint.bin)");
        var (run, checkpointPath) = RunDirectory.ForCheckpoint(checkpoint);
        if (!File.Exists(run.Preset))
        {
            throw new CliException($"no {RunDirectory.PresetFile} next to checkpoint '{checkpointPath}' (the run's preset is needed to rebuild the policy)");
        }

        var preset = Presets.Load(run.Preset);
        int taskCount = tasks ?? preset.Evaluation.TaskCount;
        ulong seed = seedOverride ?? preset.Evaluation.Seed;
        var selection = selectionOverride ?? preset.Evaluation.Selection;
        var variants = ood ? OodVariants(preset.Task) : [];
        if (ood && variants.Count == 0)
        {
            throw new CliException($"--ood: the task family '{preset.Task}' has no out-of-distribution variants (bandits-k5, mdp-10x5 and grid-13x13 have)");
        }

        var target = outDir is null ? run : new RunDirectory(outDir);
        var (policy, spec, iteration) = TrainingRun.LoadPolicy(preset, checkpointPath);
        using (policy)
        {
            // Every environment is built and checked before the output directory is created and locked.
            var environments = new List<(string Task, MetaEnvironmentSpec Spec)>();
            foreach (string task in new[] { preset.Task }.Concat(variants))
            {
                var environment = task == preset.Task
                    ? spec
                    : MetaEnvironmentSpec.ForAlgorithm(TaskCatalog.Create(task), preset.Algorithm, preset.InteractionBudget, spec.Inner ?? preset.Inner); // the inner settings the policy was trained with
                if (environment.ObservationSize != policy.ObservationSize)
                {
                    throw new CliException($"'{task}' has observation size {environment.ObservationSize}; the policy was trained on {policy.ObservationSize}");
                }

                environments.Add((task, environment));
            }

            target.Create();
            using var targetLock = RunLock.Acquire(target, "evaluate");
            string method = TrainingRun.AlgorithmLabel(preset.Algorithm);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluating {preset.Name} (iteration {iteration}, {checkpointPath}) on {taskCount} held-out tasks, seed {seed}, {SelectionName(selection)} actions"));
            var sets = new List<EvaluationSet>();
            foreach (var (task, environment) in environments)
            {
                var clock = Stopwatch.StartNew();
                var result = PolicyEvaluations.Evaluate(policy, environment, taskCount, seed, method, selection);
                var summary = MethodSummary.From(result.Result, MethodSummary.LearnedKind, EvaluationSet.AlwaysBootstrap(task));
                sets.Add(new EvaluationSet(task, preset.InteractionBudget, taskCount, seed, task != preset.Task, [summary]) { Visits = [.. result.Visits] });
                string bootstrap = summary.Bootstrap95 is { } b ? string.Create(CultureInfo.InvariantCulture, $"   bootstrap 95% CI [{b.Low:0.000}, {b.High:0.000}]") : string.Empty;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {task,-26} {method,-6} {summary.Mean,10:0.000} ± {summary.StandardError:0.000}   Student-t 95% CI [{summary.Ci95Low:0.000}, {summary.Ci95High:0.000}]{bootstrap}   ({clock.Elapsed.TotalSeconds:0.0} s)"));
            }

            var document = new EvaluationDocument("evaluate", preset.Name, checkpointPath, iteration, sets) { Selection = SelectionName(selection) };
            document.Save(target.Evaluation);
            var model = TrainingRun.RunReport(preset, run, document, method, iteration, 0);
            model.Facts.RemoveAll(f => f.Key == "iterations");
            model.Facts.Add(new("checkpoint", string.Create(CultureInfo.InvariantCulture, $"{checkpointPath} (iteration {iteration})")));
            model.Facts.Add(new("actions", SelectionName(selection)));
            HtmlReport.Write(model, target.Report);
            output.WriteLine($"wrote {target.Evaluation} and {target.Report}");
        }

        return 0;
    }

    /// <summary>The lower-case name used on the command line and in <c>evaluation.json</c>.</summary>
    public static string SelectionName(ActionSelection selection) => selection switch
    {
        ActionSelection.Greedy => "greedy",
        ActionSelection.Sample => "sample",
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "expected Greedy or Sample"),
    };

    /// <summary>Parses <c>--selection</c>: <c>greedy</c> (the most probable action) or <c>sample</c> (alias <c>stochastic</c>).</summary>
    public static ActionSelection ParseSelection(string text) => text.Trim().ToLowerInvariant() switch
    {
        "greedy" => ActionSelection.Greedy,
        "sample" or "stochastic" => ActionSelection.Sample,
        _ => throw new CliException($"--selection must be 'greedy' or 'sample' (alias 'stochastic'), got '{text}'"),
    };
}
