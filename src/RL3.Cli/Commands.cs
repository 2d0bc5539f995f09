namespace RL3.Cli;

/// <summary>The verbs of <c>rl3</c>.</summary>
internal static class Commands
{
    public const string Usage = """
        rl3 — meta-reinforcement learning with RL² and RL³

        usage:
          rl3 help                      this text
        """;

    public static int Run(CommandLine line, TextWriter output)
    {
        switch (line.Verb)
        {
            case "help" or "--help" or "-h":
                output.WriteLine(Usage);
                return 0;
            default:
                throw new CliException($"unknown command '{line.Verb}' (see 'rl3 help')");
        }
    }
}
