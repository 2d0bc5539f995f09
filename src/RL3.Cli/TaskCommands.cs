using System.CommandLine;
using System.Globalization;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Cli;

/// <summary><c>rl3 tasks</c>: lists the built-in task distributions and their settings.</summary>
internal sealed class TasksCommand : Command
{
    public TasksCommand(TextWriter output)
        : base("tasks", "list the built-in task distributions and their settings")
    {
        SetAction(_ => Run(output));
    }

    public static int Run(TextWriter output)
    {
        output.WriteLine($"{"name",-26} {"H",5} {"c",5} {"λ",6} {"VI ε",6} {"ρ",6}  description");
        foreach (var e in TaskCatalog.Entries)
        {
            string rho = e.ClusteringRadius is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Name,-26} {e.InteractionBudget,5} {e.ValueScale,5:0.##} {e.LaplaceSmoothing,6:0.###} {e.ValueIterationEpsilon,6:0.###} {rho,6}  {e.Description}"));
        }

        return 0;
    }

    /// <summary>The catalog distribution called <paramref name="name"/>, or a one-line error listing the known names.</summary>
    internal static ITaskDistribution ResolveTask(string name)
    {
        if (!TaskCatalog.TryGet(name, out var entry))
        {
            throw new CliException($"unknown task distribution '{name}'; known: {string.Join(", ", TaskCatalog.Names)}");
        }

        return entry!.CreateDistribution();
    }
}

/// <summary><c>rl3 check-tasks --task NAME [--seed S]</c>: runs the task checker on a distribution (exit 1 when a check fails).</summary>
internal sealed class CheckTasksCommand : Command
{
    private readonly Option<string?> _task = CliOptions.Text("--task", "NAME", "the task distribution (see 'rl3 tasks')");
    private readonly Option<ulong?> _seed = CliOptions.Seed("seed of the sampled tasks (default 0)");

    public CheckTasksCommand(TextWriter output)
        : base("check-tasks", "run the task checker on a distribution (exit 1 when a check fails)")
    {
        Add(_task);
        Add(_seed);
        SetAction(result =>
        {
            string name = result.GetValue(_task) ?? throw new CliException("check-tasks needs --task NAME (see 'rl3 tasks')");
            var distribution = TasksCommand.ResolveTask(name);
            var report = TaskChecker.Check(distribution, new TaskCheckOptions { Seed = result.GetValue(_seed) ?? 0 });
            output.WriteLine(report.ToString());
            return report.Passed ? 0 : 1;
        });
    }
}

/// <summary><c>rl3 show-task --task NAME [--seed S]</c>: samples one task and prints it.</summary>
internal sealed class ShowTaskCommand : Command
{
    private readonly Option<string?> _task = CliOptions.Text("--task", "NAME", "the task distribution (see 'rl3 tasks')");
    private readonly Option<ulong?> _seed = CliOptions.Seed("seed of the sampled task (default 0)");

    public ShowTaskCommand(TextWriter output)
        : base("show-task", "sample one task and print it")
    {
        Add(_task);
        Add(_seed);
        SetAction(result =>
        {
            string name = result.GetValue(_task) ?? throw new CliException("show-task needs --task NAME (see 'rl3 tasks')");
            ulong seed = result.GetValue(_seed) ?? 0;
            var distribution = TasksCommand.ResolveTask(name);
            var task = distribution.Sample(new RandomSource(seed));
            task.Reset(new RandomSource(seed + 1), new float[distribution.ObservationSize]);
            output.WriteLine($"{distribution.Name} (seed {seed}):");
            output.WriteLine(task.Render());
            return 0;
        });
    }
}
