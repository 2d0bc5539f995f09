using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace RL3.Core.Tests.Packaging;

/// <summary>
/// Packs RL3.Core into a local folder feed and uses it from a fresh console project outside the solution, as a newcomer would:
/// <c>dotnet add package</c>, a custom task family checked with <c>TaskChecker</c>, a tiny RL³ run and an evaluation.
/// </summary>
[Category("Slow")]
public partial class PackageTests
{
    private const string Version = "0.1.0";

    [Test]
    [CancelAfter(15 * 60 * 1000)]
    public void Pack_ConsumedFromLocalFeed_TrainsCustomTaskFamily()
    {
        string repository = FindRepositoryRoot();
        string root = Path.Combine(Path.GetTempPath(), "rl3-package-test-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = Path.Combine(root, "feed");
        string app = Path.Combine(root, "app");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(app);
        try
        {
            Run("dotnet", $"pack \"{Path.Combine(repository, "src", "RL3.Core")}\" -c Release -o \"{feed}\" -p:Version={Version}", repository, root);
            string nupkg = Path.Combine(feed, $"RL3.Core.{Version}.nupkg");
            Assert.That(nupkg, Does.Exist);
            Assert.That(Path.Combine(feed, $"RL3.Core.{Version}.snupkg"), Does.Exist);
            using (var archive = ZipFile.OpenRead(nupkg))
            {
                var entries = archive.Entries.Select(e => e.FullName).ToArray();
                Assert.That(entries, Is.SupersetOf(new[]
                {
                    "PACKAGE.md", "lib/net8.0/RL3.Core.dll", "lib/net8.0/RL3.Core.xml", "lib/net10.0/RL3.Core.dll", "lib/net10.0/RL3.Core.xml",
                }));
            }

            // A project outside the solution: nothing inherited, its own feeds, its own package cache (so no stale RL3.Core).
            File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "Consumer.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                </Project>
                """);
            File.Copy(Path.Combine(TestContext.CurrentContext.TestDirectory, "Packaging", "ConsumerProgram.cs.txt"), Path.Combine(app, "Program.cs"));

            Run("dotnet", $"add package RL3.Core --source \"{feed}\" --version {Version}", app, root);
            string output = Run("dotnet", "run -c Release", app, root);

            var match = ResultLine().Match(output);
            Assert.That(match.Success, Is.True, output);
            Assert.That(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(3));
            double mean = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            double se = double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.That(mean, Is.InRange(0.0, 10.0));
            Assert.That(se, Is.GreaterThanOrEqualTo(0.0));
            Assert.That(output, Does.Contain("all passed"));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    [GeneratedRegex(@"RESULT iterations=(\d+) mean=(\S+) se=(\S+)")]
    private static partial Regex ResultLine();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RL3.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RL3.Core.sln not found above the test directory.");
    }

    private static string Run(string fileName, string arguments, string workingDirectory, string root)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NUGET_PACKAGES"] = Path.Combine(root, "packages");
        // Keep the pack off the test run's own build servers and nodes.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{fileName} {arguments}' timed out:\n{output}");
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        TestContext.Progress.WriteLine($"$ {fileName} {arguments}  (exit {process.ExitCode})");
        Assert.That(process.ExitCode, Is.EqualTo(0), $"'{fileName} {arguments}' failed:\n{text}");
        return text;
    }
}
