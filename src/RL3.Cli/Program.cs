using System.CommandLine;

namespace RL3.Cli;

/// <summary>The <c>rl3</c> command: meta-train, evaluate and compare RL² / RL³ agents.</summary>
public static class Program
{
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
            var root = CliApplication.Create(output, cancellationToken);
            var parsed = CliApplication.Parse(root, args);
            if (CliErrors.FirstProblem(parsed) is { } problem)
            {
                error.WriteLine($"rl3: {problem}");
                return 2;
            }

            // Exceptions reach the handlers below unwrapped; Ctrl+C is handled by Main (a checkpoint is saved first).
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
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
