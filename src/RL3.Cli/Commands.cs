using System.Globalization;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Cli;

/// <summary>The verbs of <c>rl3</c>.</summary>
internal static class Commands
{
    public const string Usage = """
        rl3 — meta-reinforcement learning with RL² and RL³

        usage:
          rl3 tasks                               list the built-in task distributions and their settings
          rl3 check-tasks --task NAME [--seed S]  run the task checker on a distribution
          rl3 show-task --task NAME [--seed S]    sample one task and print it
          rl3 help                                this text
        """;

    public static int Run(CommandLine line, TextWriter output)
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
