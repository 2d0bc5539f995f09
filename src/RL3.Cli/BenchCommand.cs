using System.CommandLine;
using System.CommandLine.Parsing;
using System.ComponentModel;
using System.Diagnostics;

namespace RL3.Cli;

/// <summary>
/// <c>rl3 bench [BenchmarkDotNet arguments]</c>: runs the benchmarks project of a source checkout as a child process.
/// Every token after <c>bench</c> goes to BenchmarkDotNet unchanged (after <c>--</c>, even <c>--help</c> does).
/// </summary>
internal sealed class BenchCommand : Command
{
    public const string ProjectPath = "benchmarks/RL3.Core.Benchmarks/RL3.Core.Benchmarks.csproj";

    private readonly Argument<string[]> _arguments = new("ARGS") { Description = "BenchmarkDotNet arguments, e.g. --filter '*Gae*'", Arity = ArgumentArity.ZeroOrMore };

    public BenchCommand(TextWriter output)
        : base("bench", "run the benchmark suites (from a source checkout); the arguments go to BenchmarkDotNet")
    {
        Add(_arguments);
        TreatUnmatchedTokensAsErrors = false;
        SetAction(result => Run(Forwarded(result), output));
    }

    /// <summary>The tokens after <c>bench</c> in their order, without a separating <c>--</c>.</summary>
    internal static List<string> Forwarded(ParseResult result)
    {
        var tokens = result.Tokens.SkipWhile(t => t.Type != TokenType.Command).Skip(1).ToList();
        if (tokens.Count > 0 && tokens[0].Type == TokenType.DoubleDash)
        {
            tokens.RemoveAt(0);
        }

        return [.. tokens.Select(t => t.Value)];
    }

    public static int Run(IReadOnlyList<string> arguments, TextWriter output)
    {
        string root = FindRepositoryRoot(Environment.CurrentDirectory) ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new CliException($"bench runs the BenchmarkDotNet suites of a source checkout, but no {ProjectPath} was found above '{Environment.CurrentDirectory}'; run it from a clone of RL3.Core");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root };
        foreach (string a in new[] { "run", "-c", "Release", "--project", Path.Combine(root, ProjectPath), "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        output.WriteLine($"rl3 bench: dotnet {string.Join(' ', start.ArgumentList)} (in {root})");
        output.Flush();
        try
        {
            using var process = Process.Start(start) ?? throw new CliException("could not start 'dotnet'");
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (Win32Exception ex)
        {
            throw new CliException($"could not start 'dotnet' for the benchmarks: {ex.Message}");
        }
    }

    internal static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectPath)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
