namespace RL3.Cli;

/// <summary>The <c>rl3</c> command: meta-train, evaluate and compare RL² / RL³ agents.</summary>
public static class Program
{
    private static readonly HashSet<string> FlagNames = new(StringComparer.OrdinalIgnoreCase) { "ood", "quick", "help" };

    /// <summary>Runs one command; returns 0 on success, 2 on a user error, 1 on an unexpected failure.</summary>
    public static int Main(string[] args)
    {
        try
        {
            var line = CommandLine.Parse(args, FlagNames);
            return Commands.Run(line, Console.Out);
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"rl3: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or KeyNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"rl3: {ex.Message}");
            return 2;
        }
    }
}
