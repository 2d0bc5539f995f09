using System.ComponentModel;
using System.Diagnostics;

namespace RL3.Cli;

/// <summary><c>rl3 bench [BenchmarkDotNet arguments]</c>: runs the benchmarks project of a source checkout as a child process.</summary>
internal static class BenchCommand
{
    public const string ProjectPath = "benchmarks/RL3.Core.Benchmarks/RL3.Core.Benchmarks.csproj";

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
