using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RL3.Cli.Reports;
using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>
/// <c>rl3 compare</c>: meta-train RL³ and RL² (the quick random-MDP presets by default, <c>--family bandits</c> for the
/// quick bandit presets), then evaluate both and every applicable classical baseline on the same M held-out tasks
/// (paired), print the table and write the report.
/// </summary>
internal sealed class CompareCommand : Command
{
    public const string DefaultOut = "runs/compare";
    public const int DefaultTasks = 1000;

    /// <summary>The families <c>--family</c> accepts: the pair of quick presets each trains and what the reader is looking at.</summary>
    public static readonly IReadOnlyList<CompareFamily> Families =
    [
        new("mdp", "mdp-h20-rl3-quick", "mdp-h20-rl2-quick", "random MDPs (10 states, 5 actions, 10-step episodes, H = 20 steps per task)"),
        new("bandits", "bandits-h10-rl3-quick", "bandits-h10-rl2-quick", "5-armed Bernoulli bandits (H = 10 pulls per task, where the paper expects RL³ and RL² to tie)"),
    ];

    public static CompareFamily DefaultFamily => Families[0];

    public static string DefaultRl3 => DefaultFamily.Rl3Preset;

    public static string DefaultRl2 => DefaultFamily.Rl2Preset;

    private readonly Option<string?> _family = new("--family")
    {
        HelpName = string.Join('|', Families.Select(f => f.Name)),
        Description = $"which pair of quick presets to train: {string.Join(", ", Families.Select(f => $"{f.Name} ({f.Rl3Preset} and {f.Rl2Preset})"))}; default {Families[0].Name}",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (Families.Any(f => f.Name.Equals(text, StringComparison.OrdinalIgnoreCase)))
            {
                return text.ToLowerInvariant();
            }

            result.AddError($"--family must be one of {string.Join(", ", Families.Select(f => f.Name))}, got '{text}'");
            return null;
        },
    };

    private readonly Option<int?> _tasks = CliOptions.Count("--tasks", "M", $"held-out test tasks (default {DefaultTasks})");
    private readonly Option<ulong?> _seed = CliOptions.Seed("seed of the held-out test split (default: the presets' evaluation.seed)");
    private readonly Option<string?> _out = CliOptions.Text("--out", "DIR", $"output directory (default {DefaultOut})");
    private readonly Option<string?> _rl3 = CliOptions.Text("--rl3", "PRESET", "the first preset to train (default: the family's RL³ preset)");
    private readonly Option<string?> _rl2 = CliOptions.Text("--rl2", "PRESET", "the second preset to train, same task family and H (default: the family's RL² preset)");
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _settings = CliOptions.Settings("an override applied to both presets, repeatable");
    private readonly Option<int?> _iterations = CliOptions.Count("--iterations", "N", "PPO iterations of both presets");
    private readonly Option<string[]> _checkpoints = new("--checkpoint")
    {
        HelpName = "DIR_OR_FILE",
        Description = "compare already trained runs instead of training (repeat it: each a run directory of 'rl3 train' or its checkpoint.bin, all on the same task family); the first is the one the summary sentence compares with the second",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<int?> _horizon = CliOptions.Count("--horizon", "H", "with --checkpoint: evaluate at this interaction budget instead of the runs' own H (e.g. agents trained at H = 500 played for 1000 steps); the policy must accept H tokens");
    private readonly Option<ActionSelection?> _selection = CliOptions.Selection("greedy or sampled actions of the meta-trained agents (default: the presets' evaluation.selection)");

    public CompareCommand(TextWriter output, CancellationToken cancellationToken)
        : base("compare", "the main job: meta-train RL³ and RL², evaluate them and the classical baselines on M held-out tasks, print the table and write DIR/report.html")
    {
        Add(_family);
        Add(_tasks);
        Add(_seed);
        Add(_out);
        Add(_rl3);
        Add(_rl2);
        Add(_settings);
        Add(_iterations);
        Add(_checkpoints);
        Add(_horizon);
        Add(_selection);
        SetAction(result =>
        {
            string[] checkpoints = result.GetValue(_checkpoints) ?? [];
            if (checkpoints.Length > 0)
            {
                var conflicting = new (string Name, bool Given)[]
                {
                    ("--family", result.GetValue(_family) is not null),
                    ("--rl3", result.GetValue(_rl3) is not null),
                    ("--rl2", result.GetValue(_rl2) is not null),
                    ("--set", result.GetValue(_settings) is { Count: > 0 }),
                    ("--iterations", result.GetValue(_iterations) is not null),
                }.Where(c => c.Given).Select(c => c.Name).ToList();
                if (conflicting.Count > 0)
                {
                    throw new CliException($"--checkpoint compares trained runs and cannot be combined with {string.Join(", ", conflicting)} (those choose what to train)");
                }

                return CompareCheckpoints.Run(checkpoints, result.GetValue(_tasks) ?? DefaultTasks, result.GetValue(_seed), result.GetValue(_horizon), result.GetValue(_selection), result.GetValue(_out) ?? DefaultOut, output);
            }

            if (result.GetValue(_horizon) is not null)
            {
                throw new CliException("--horizon needs --checkpoint (it sets the H at which trained runs are evaluated; to train at another H use --set interactionBudget=H)");
            }

            var family = Families.First(f => f.Name == (result.GetValue(_family) ?? DefaultFamily.Name));
            string? rl3 = result.GetValue(_rl3);
            string? rl2 = result.GetValue(_rl2);
            return Run(
            rl3 is null && rl2 is null ? family : null,
            result.GetValue(_tasks) ?? DefaultTasks,
            result.GetValue(_seed),
            result.GetValue(_out) ?? DefaultOut,
            rl3 ?? family.Rl3Preset,
            rl2 ?? family.Rl2Preset,
            result.GetValue(_settings) ?? [],
            result.GetValue(_iterations),
            result.GetValue(_selection),
            output,
            cancellationToken);
        });
    }

    private static int Run(CompareFamily? family, int taskCount, ulong? seedOverride, string outPath, string rl3Name, string rl2Name, IReadOnlyList<KeyValuePair<string, string>> settings, int? iterations, ActionSelection? selection, TextWriter output, CancellationToken cancellationToken)
    {
        var outDir = new RunDirectory(outPath);

        var presets = new List<TrainingPreset>();
        foreach (string name in new[] { rl3Name, rl2Name })
        {
            var preset = Presets.Get(name);
            Presets.Apply(preset, settings);
            if (iterations is { } n)
            {
                Presets.Set(preset, "ppo.iterations", n.ToString(CultureInfo.InvariantCulture));
            }

            Presets.Set(preset, "evaluation.taskCount", taskCount.ToString(CultureInfo.InvariantCulture));
            if (selection is { } chosen)
            {
                preset.Evaluation.Selection = chosen;
            }
            if (seedOverride is { } seedValue)
            {
                Presets.Set(preset, "evaluation.seed", seedValue.ToString(CultureInfo.InvariantCulture));
            }

            presets.Add(preset);
        }

        var (first, second) = (presets[0], presets[1]);
        if (!string.Equals(first.Task, second.Task, StringComparison.OrdinalIgnoreCase) || first.InteractionBudget != second.InteractionBudget)
        {
            throw new CliException($"--rl3 {first.Name} ({first.Task}, H = {first.InteractionBudget}) and --rl2 {second.Name} ({second.Task}, H = {second.InteractionBudget}) must train on the same task family and H");
        }

        ulong seed = first.Evaluation.Seed;
        second.Evaluation.Seed = seed;

        // Both runs are validated and built before any directory is created; each directory is locked while written.
        var prepared = new List<PreparedRun>();
        try
        {
            foreach (var preset in presets)
            {
                prepared.Add(TrainingRun.Prepare(preset, settings));
            }

            outDir.Create();
            using var outLock = RunLock.Acquire(outDir, "compare");
            return Run(prepared, family, outDir, taskCount, seed, output, cancellationToken);
        }
        finally
        {
            foreach (var run in prepared)
            {
                run.Dispose();
            }
        }
    }

    private static int Run(List<PreparedRun> prepared, CompareFamily? family, RunDirectory outDir, int taskCount, ulong seed, TextWriter output, CancellationToken cancellationToken)
    {
        var presets = prepared.Select(p => p.Preset).ToList();
        var first = presets[0];
        var console = TrainingConsole.For(output);
        var total = Stopwatch.StartNew();
        var names = Labels(presets);
        var outcomes = new List<TrainingOutcome>();
        for (int i = 0; i < presets.Count; i++)
        {
            var run = new RunDirectory(Path.Combine(outDir.Path, presets[i].Algorithm.ToString().ToLowerInvariant() + (i > 0 && presets[i].Algorithm == presets[0].Algorithm ? "-2" : string.Empty)));
            run.Create();
            using var runLock = RunLock.Acquire(run, "compare");
            var outcome = TrainingRun.Execute(prepared[i], run, resume: false, console, names[i], cancellationToken);
            if (outcome.Interrupted)
            {
                return 130;
            }

            outcomes.Add(outcome);
        }

        var clock = Stopwatch.StartNew();
        var distribution = TaskCatalog.Create(first.Task);
        int h = first.InteractionBudget;
        var baselines = Baselines.For(distribution, h);
        console.Line($"evaluating {baselines.Count} baselines ({string.Join(", ", baselines.Select(b => b.Name))}) on the same {taskCount} held-out tasks…");
        var report = new MetaEvaluator(new EvaluationOptions { TaskCount = taskCount, InteractionBudget = h, Seed = seed }).Evaluate(distribution, baselines);
        var baselineTime = clock.Elapsed;

        bool bootstrap = EvaluationSet.AlwaysBootstrap(first.Task);
        var set = new EvaluationSet(first.Task, h, taskCount, seed, false, [.. outcomes.Select(o => MethodSummary.From(o.Final!.Result, MethodSummary.LearnedKind, bootstrap)), .. report.Methods.Select(m => MethodSummary.From(m, MethodSummary.BaselineKind, bootstrap))])
        {
            Visits = [.. outcomes[0].Final!.Visits],
        };
        var document = new EvaluationDocument("compare", string.Join(" vs ", presets.Select(p => p.Name)), null, null, [set])
        {
            Selection = presets.All(p => p.Evaluation.Selection == first.Evaluation.Selection) ? EvaluateCommand.SelectionName(first.Evaluation.Selection) : null,
        };
        string summary = Summary(set, family, outcomes.Select(o => o.Iterations).Distinct().Count() == 1 ? outcomes[0].Iterations : null);
        document = document with { Summary = summary };
        document.Save(outDir.Evaluation);

        PrintTable(output, set);
        output.WriteLine(summary);
        output.WriteLine();
        var model = new ReportModel { Title = $"rl3 compare: {string.Join(" vs ", names)} vs classical baselines on {first.Task}, H = {h}", Evaluation = document };
        model.Facts.Add(new("task distribution", $"{first.Task} ({distribution.ActionCount} actions), H = {h}"));
        model.Facts.Add(new("held-out tasks", string.Create(CultureInfo.InvariantCulture, $"{taskCount} (test split, seed {seed}); every method plays the same tasks with the same task random streams")));
        for (int i = 0; i < outcomes.Count; i++)
        {
            var o = outcomes[i];
            model.Facts.Add(new(names[i], string.Create(CultureInfo.InvariantCulture, $"preset {o.Preset.Name}: {o.Preset.Policy.Kind.ToString().ToLowerInvariant()} policy, {o.Iterations} iterations, {o.TotalSteps:#,0} steps, trained in {o.TrainingTime.TotalSeconds:0.0} s → {o.Run.Path}")));
            model.Runs.Add(TrainingCurve.Read(names[i], o.Run.Metrics, o.Preset.EnvironmentCount));
        }

        model.Facts.Add(new("total time", string.Create(CultureInfo.InvariantCulture, $"{total.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores (baselines {baselineTime.TotalSeconds:0.0} s)")));
        HtmlReport.Write(model, outDir.Report);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalSeconds:0.0} s; wrote {outDir.Report} and {outDir.Evaluation}"));
        return 0;
    }

    internal static void PrintTable(TextWriter output, EvaluationSet set)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{set.Distribution}, H = {set.InteractionBudget}, {set.TaskCount} held-out tasks (mean ± standard error, Student-t 95% CI):"));
        int width = Math.Max(12, set.Methods.Max(m => m.Name.Length) + 2);
        foreach (var m in set.Methods.OrderByDescending(m => m.Mean))
        {
            string bootstrap = m.Bootstrap95 is { } b ? string.Create(CultureInfo.InvariantCulture, $"   bootstrap [{b.Low:0.000}, {b.High:0.000}]") : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {m.Name.PadRight(width)} {m.Mean,9:0.000} ± {m.StandardError,6:0.000}   [{m.Ci95Low:0.000}, {m.Ci95High:0.000}]{bootstrap}{(m.Kind == MethodSummary.LearnedKind ? "   (meta-trained)" : string.Empty)}"));
        }

        var learned = set.Methods.Where(m => m.Kind == MethodSummary.LearnedKind).ToList();
        if (learned.Count >= 2 && set.PairedDifference(learned[0].Name, learned[1].Name) is { } headline)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  paired difference {learned[0].Name} − {learned[1].Name}: {Describe(headline)}"));
        }

        if (OracleFractions(set) is { Count: > 0 } fractions)
        {
            output.WriteLine("  fraction of the task oracle's mean return: " + string.Join(", ", fractions.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Method} {f.Fraction:0.000}"))));
        }

        var pairs = set.PairedDifferences;
        if (pairs.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"paired differences (same tasks; mean ± s.e., Student-t 95% CI; two-sided p of the {SampleStatistics.TTestName} and the {SampleStatistics.WilcoxonName} test, normal approximation):");
            int pairWidth = pairs.Max(d => d.Method.Length + d.Baseline.Length + 3) + 2;
            foreach (var d in pairs)
            {
                var ci = d.Differences.StudentT;
                string bootstrap = d.Differences.Bootstrap is { } b ? string.Create(CultureInfo.InvariantCulture, $"   bootstrap [{b.Low:+0.000;-0.000;0.000}, {b.High:+0.000;-0.000;0.000}]") : string.Empty;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(d.Method + " − " + d.Baseline).PadRight(pairWidth)} {d.MeanDifference,8:+0.000;-0.000;0.000} ± {d.StandardError,6:0.000}   [{ci.Low:+0.000;-0.000;0.000}, {ci.High:+0.000;-0.000;0.000}]   t-test p {FormatP(d.TTest.PValue),-8}   Wilcoxon p {FormatP(d.Wilcoxon.PValue)}{bootstrap}"));
            }
        }

        output.WriteLine();
    }

    /// <summary>
    /// Each learned method's mean return as a fraction of the task oracle's (the baseline that plans with the true
    /// task) on the same tasks; empty without an oracle or when its mean is not positive.
    /// </summary>
    internal static List<(string Method, double Fraction)> OracleFractions(EvaluationSet set)
    {
        var oracle = set.Methods.Find(m => m.Kind == MethodSummary.BaselineKind && m.Name == OracleName);
        if (oracle is null || !(oracle.Mean > 0))
        {
            return [];
        }

        return [.. set.Methods.Where(m => m.Kind == MethodSummary.LearnedKind).Select(m => (m.Name, m.Mean / oracle.Mean))];
    }

    /// <summary>The name of the task-oracle baseline in the comparison (<see cref="TaskOracleAgentFactory"/>'s default).</summary>
    internal static readonly string OracleName = new TaskOracleAgentFactory().Name;

    /// <summary>
    /// The one sentence that says what the reader is looking at: which agents, on which tasks, and the paired
    /// difference of the first learned method to the second with its interval and tests.
    /// </summary>
    internal static string Summary(EvaluationSet set, CompareFamily? family, int? iterations)
    {
        var learned = set.Methods.Where(m => m.Kind == MethodSummary.LearnedKind).ToList();
        string tasks = family?.Description ?? string.Create(CultureInfo.InvariantCulture, $"{set.Distribution} tasks (H = {set.InteractionBudget})");
        string trained = iterations is { } n ? string.Create(CultureInfo.InvariantCulture, $" for {n} PPO iterations each") : string.Empty;
        if (learned.Count < 2 || set.PairedDifference(learned[0].Name, learned[1].Name) is not { } d)
        {
            return string.Create(CultureInfo.InvariantCulture, $"What this shows: meta-trained agents{trained} and classical baselines on the same {set.TaskCount} held-out {tasks}.");
        }

        var ci = d.Differences.StudentT;
        string verdict = ci.ExcludesZero
            ? (d.MeanDifference > 0 ? $"{d.Method} is above {d.Baseline}" : $"{d.Method} is below {d.Baseline}")
            : $"{d.Method} and {d.Baseline} are not distinguishable here";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"What this shows: {d.Method} (an RL² agent that also reads the Q-values of a value-iteration estimator run inside each task) and plain {d.Baseline}, meta-trained with the same PPO settings{trained}, played the same {set.TaskCount} held-out {tasks} beside classical baselines; {verdict}: {d.Method} − {d.Baseline} = {d.MeanDifference:+0.00;-0.00;0.00} per meta-episode, 95% CI [{ci.Low:+0.00;-0.00;0.00}, {ci.High:+0.00;-0.00;0.00}], {d.TTest.Name} p {FormatPWithRelation(d.TTest.PValue)}, {d.Wilcoxon.Name} p {FormatPWithRelation(d.Wilcoxon.PValue)}.");
    }

    /// <summary>One line: mean ± s.e., Student-t 95% CI (and the bootstrap one where skewed), both tests with their p-values.</summary>
    internal static string Describe(PairedDifference d)
    {
        var ci = d.Differences.StudentT;
        string bootstrap = d.Differences.Bootstrap is { } b ? string.Create(CultureInfo.InvariantCulture, $", bootstrap 95% CI [{b.Low:+0.000;-0.000;0.000}, {b.High:+0.000;-0.000;0.000}]") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{d.MeanDifference:+0.000;-0.000;0.000} ± {d.StandardError:0.000}, Student-t 95% CI [{ci.Low:+0.000;-0.000;0.000}, {ci.High:+0.000;-0.000;0.000}]{bootstrap}; {d.TTest.Name} {d.TTest.StatisticName} = {d.TTest.Statistic:0.00}, p {FormatPWithRelation(d.TTest.PValue)}; {d.Wilcoxon.Name} {d.Wilcoxon.StatisticName} = {d.Wilcoxon.Statistic:0.00}, p {FormatPWithRelation(d.Wilcoxon.PValue)}");
    }

    private static string FormatPWithRelation(double p) => p == 0 ? "< 1e-300" : "= " + FormatP(p);

    /// <summary>A p-value for tables: three decimals down to 0.001, then two significant digits in scientific notation.</summary>
    internal static string FormatP(double p) => p switch
    {
        double.NaN => "n/a",
        0 => "< 1e-300",
        >= 0.001 => p.ToString("0.000", CultureInfo.InvariantCulture),
        _ => p.ToString("0.0e+0", CultureInfo.InvariantCulture),
    };

    private static List<string> Labels(List<TrainingPreset> presets)
    {
        var labels = presets.Select(p => TrainingRun.AlgorithmLabel(p.Algorithm)).ToList();
        return labels.Distinct().Count() == labels.Count ? labels : presets.Select(p => p.Name).ToList();
    }
}

/// <summary>A task family <c>rl3 compare --family</c> offers.</summary>
/// <param name="Name">The value of <c>--family</c>.</param>
/// <param name="Rl3Preset">The RL³ preset it trains.</param>
/// <param name="Rl2Preset">The RL² preset it trains.</param>
/// <param name="Description">The tasks in words, for the sentence that says what the reader is looking at.</param>
internal sealed record CompareFamily(string Name, string Rl3Preset, string Rl2Preset, string Description);
