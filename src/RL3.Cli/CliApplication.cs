using System.CommandLine;

namespace RL3.Cli;

/// <summary>
/// The <c>rl3</c> command tree on System.CommandLine: one <see cref="Command"/> per verb with typed options, the
/// generated help, and parse errors reported as one line (see <see cref="CliErrors"/>).
/// </summary>
internal static class CliApplication
{
    public const string Description = """
        rl3 — meta-reinforcement learning with RL² and RL³: meta-train, evaluate and compare agents.
        Errors print one line 'rl3: …' and exit with code 2. See docs/cli.md.
        """;

    /// <summary>Builds the command tree; the verbs write to <paramref name="output"/> and stop on <paramref name="cancellationToken"/>.</summary>
    public static RootCommand Create(TextWriter output, CancellationToken cancellationToken)
    {
        var root = new RootCommand(Description)
        {
            new CompareCommand(output, cancellationToken),
            new TrainCommand(output, cancellationToken),
            new WorkerCommand(output, cancellationToken),
            new EvaluateCommand(output),
            new ReportCommand(output),
            new PresetsCommand(output),
            new BenchCommand(output),
            new TasksCommand(output),
            new CheckTasksCommand(output),
            new ShowTaskCommand(output),
        };
        root.Add(new HelpCommand(root));
        root.SetAction(result => ShowHelp(root, [], result.InvocationConfiguration));
        return root;
    }

    /// <summary>Parses <paramref name="args"/>; the verb is matched without regard to case (<c>rl3 Train</c>).</summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            string verb = args[0].ToLowerInvariant();
            args = [verb, .. args.Skip(1)];
        }

        return root.Parse(args);
    }

    /// <summary>Writes the generated help of <c>rl3 VERB…</c> (of <c>rl3</c> itself for no verb).</summary>
    internal static int ShowHelp(RootCommand root, IReadOnlyList<string> verbs, InvocationConfiguration configuration) =>
        root.Parse([.. verbs, "--help"]).Invoke(configuration);

    /// <summary><c>rl3 help [VERB]</c>: the same text as <c>rl3 [VERB] --help</c>.</summary>
    private sealed class HelpCommand : Command
    {
        private readonly Argument<string[]> _verb = new("VERB") { Description = "the command to explain", Arity = ArgumentArity.ZeroOrMore };

        public HelpCommand(RootCommand root)
            : base("help", "print this text, or the help of one command")
        {
            Add(_verb);
            SetAction(result =>
            {
                string[] verbs = result.GetValue(_verb) ?? [];
                foreach (string verb in verbs)
                {
                    if (!root.Subcommands.Any(c => c.Name == verb))
                    {
                        throw new CliException($"unknown command '{verb}' (see 'rl3 help')");
                    }
                }

                return ShowHelp(root, verbs, result.InvocationConfiguration);
            });
        }
    }
}
