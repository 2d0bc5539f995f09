namespace RL3.Cli;

/// <summary>The <c>rl3</c> command: meta-train, evaluate and compare RL² / RL³ agents.</summary>
public static class Program
{
    private static readonly HashSet<string> FlagNames = new(StringComparer.OrdinalIgnoreCase) { "ood", "resume", "help" };

    /// <summary>Runs one command; returns 0 on success, 2 on a user error, 1 on an unexpected failure, 130 when interrupted.</summary>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                // First Ctrl+C: finish the current iteration, save a checkpoint, exit. A second one kills the process.
                e.Cancel = true;
                cancel.Cancel();
            }
        };
        return Run(args, Console.Out, Console.Error, cancel.Token);
    }

    /// <summary>Runs one command with the given writers (tests call this).</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            if (args.Length > 0 && args[0].Equals("bench", StringComparison.OrdinalIgnoreCase))
            {
                return BenchCommand.Run(args[1..], output);
            }

            var line = CommandLine.Parse(args, FlagNames);
            return Commands.Run(line, output, cancellationToken);
        }
        catch (CliException ex)
        {
            error.WriteLine($"rl3: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or KeyNotFoundException or FormatException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"rl3: {Presets.FirstSentence(ex.Message)}");
            return 2;
        }
    }
}
