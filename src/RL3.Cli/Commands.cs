using System.Globalization;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>The verbs of <c>rl3</c>.</summary>
internal static class Commands
{
    public const string Usage = """
        rl3 — meta-reinforcement learning with RL² and RL³

        usage:
          rl3 compare [--tasks M] [--seed S] [--out DIR] [--rl3 PRESET] [--rl2 PRESET] [--set key=value]… [--iterations N]
                                                  the main job: meta-train RL³ and RL² (quick presets by default), evaluate
                                                  them and the classical baselines on M held-out tasks (default 1000),
                                                  print the table and write DIR/report.html (default DIR: runs/compare)
          rl3 train --preset NAME --out DIR [--set key=value]… [--iterations N] [--stop-after N] [--resume]
                                                  meta-train a preset; writes preset.json, metrics.csv, checkpoint.bin,
                                                  evaluation.json and report.html; --resume continues DIR's checkpoint
                                                  bit-for-bit; --stop-after N pauses (with a checkpoint) after N iterations
          rl3 evaluate --checkpoint DIR_OR_FILE [--ood] [--tasks M] [--seed S] [--selection greedy|sample] [--out DIR]
                                                  evaluate a trained agent on held-out tasks (--ood: also on the family's
                                                  out-of-distribution variants; --selection: greedy or sampled actions,
                                                  default the preset's evaluation.selection); rewrites evaluation.json
                                                  and report.html
          rl3 report DIR                          re-render DIR/report.html from its evaluation.json and metrics.csv
          rl3 presets [NAME] [--set key=value]…   list the training presets, or print one as JSON
          rl3 bench [BenchmarkDotNet arguments]   run the benchmark suites (from a source checkout)
          rl3 tasks                               list the built-in task distributions and their settings
          rl3 check-tasks --task NAME [--seed S]  run the task checker on a distribution
          rl3 show-task --task NAME [--seed S]    sample one task and print it
          rl3 help                                this text

        Errors print one line 'rl3: …' and exit with code 2. See docs/cli.md.
        """;

    public static int Run(CommandLine line, TextWriter output, CancellationToken cancellationToken = default)
    {
        switch (line.Verb)
        {
            case "help" or "--help" or "-h":
                output.WriteLine(Usage);
                return 0;
            case "tasks":
                line.RejectUnknown();
                return ListTasks(output);
            case "check-tasks":
                return CheckTasks(line, output);
            case "show-task":
                return ShowTask(line, output);
            case "presets":
                return PresetsCommand.Run(line, output);
            case "train":
                return TrainCommand.Run(line, output, cancellationToken);
            case "evaluate":
                return EvaluateCommand.Run(line, output);
            case "compare":
                return CompareCommand.Run(line, output, cancellationToken);
            case "report":
                return ReportCommand.Run(line, output);
            default:
                throw new CliException($"unknown command '{line.Verb}' (see 'rl3 help')");
        }
    }

    private static int ListTasks(TextWriter output)
    {
        output.WriteLine($"{"name",-26} {"H",5} {"c",5} {"λ",6} {"VI ε",6} {"ρ",6}  description");
        foreach (var e in TaskCatalog.Entries)
        {
            string rho = e.ClusteringRadius is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Name,-26} {e.InteractionBudget,5} {e.ValueScale,5:0.##} {e.LaplaceSmoothing,6:0.###} {e.ValueIterationEpsilon,6:0.###} {rho,6}  {e.Description}"));
        }

        return 0;
    }

    private static int CheckTasks(CommandLine line, TextWriter output)
    {
        string name = line.String("task") ?? throw new CliException("check-tasks needs --task NAME (see 'rl3 tasks')");
        ulong seed = line.ULong("seed", 0);
        line.RejectUnknown();
        var distribution = ResolveTask(name);
        var report = TaskChecker.Check(distribution, new TaskCheckOptions { Seed = seed });
        output.WriteLine(report.ToString());
        return report.Passed ? 0 : 1;
    }

    private static int ShowTask(CommandLine line, TextWriter output)
    {
        string name = line.String("task") ?? throw new CliException("show-task needs --task NAME (see 'rl3 tasks')");
        ulong seed = line.ULong("seed", 0);
        line.RejectUnknown();
        var distribution = ResolveTask(name);
        var task = distribution.Sample(new RandomSource(seed));
        task.Reset(new RandomSource(seed + 1), new float[distribution.ObservationSize]);
        output.WriteLine($"{distribution.Name} (seed {seed}):");
        output.WriteLine(task.Render());
        return 0;
    }

    internal static ITaskDistribution ResolveTask(string name)
    {
        if (!TaskCatalog.TryGet(name, out var entry))
        {
            throw new CliException($"unknown task distribution '{name}'; known: {string.Join(", ", TaskCatalog.Names)}");
        }

        return entry!.CreateDistribution();
    }
}

/// <summary><c>rl3 presets [NAME]</c>.</summary>
internal static class PresetsCommand
{
    public static int Run(CommandLine line, TextWriter output)
    {
        string? name = line.Positional(0) ?? line.String("preset");
        var settings = line.AcceptSettings();
        line.RejectUnknown();
        if (name is not null)
        {
            var preset = Presets.Get(name);
            Presets.Apply(preset, settings);
            output.WriteLine(preset.ToJson());
            return 0;
        }

        if (settings.Count > 0)
        {
            throw new CliException("--set needs a preset: rl3 presets NAME --set key=value");
        }

        output.WriteLine($"{"name",-26} {"task",-14} {"algorithm",-12} {"policy",-11} {"H",4} {"batch",7} {"iters",6}  description");
        foreach (string n in PresetCatalog.Names)
        {
            var p = PresetCatalog.Get(n);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n,-26} {p.Task,-14} {TrainingRun.AlgorithmLabel(p.Algorithm),-12} {p.Policy.Kind.ToString().ToLowerInvariant(),-11} {p.Ppo.InteractionBudget,4} {p.Ppo.BatchSteps,7} {p.Ppo.Iterations,6}  {p.Description}"));
        }

        return 0;
    }
}
