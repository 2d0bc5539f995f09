using System.Text.RegularExpressions;

namespace RL3.Core.Tests.Docs;

/// <summary>Keeps docs/faults.md honest: every test a row names exists in the test tree.</summary>
public sealed partial class FaultsDocsTests
{
    [Test]
    public void FaultsMd_EveryNamedTest_Exists()
    {
        string root = DocsPaths.RepositoryRoot();
        string[] lines = File.ReadAllLines(Path.Combine(root, "docs", "faults.md"));
        var sources = Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .GroupBy(Path.GetFileNameWithoutExtension)
            .ToDictionary(g => g.Key!, g => string.Concat(g.Select(File.ReadAllText)), StringComparer.Ordinal);
        int named = 0;
        foreach (string line in lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| input or fault", StringComparison.Ordinal)))
        {
            string[] cells = line.Split(" | ");
            Assert.That(cells, Has.Length.EqualTo(3), $"docs/faults.md row needs three cells: {line}");
            var tests = TestName().Matches(cells[2]);
            Assert.That(tests, Is.Not.Empty, $"docs/faults.md row names no test (TestClass.Method): {line}");
            foreach (Match test in tests)
            {
                string type = test.Groups[1].Value, method = test.Groups[2].Value;
                Assert.That(sources.TryGetValue(type, out string? source), Is.True, $"docs/faults.md names {type}.{method}, but tests/ has no {type}.cs");
                Assert.That(Regex.IsMatch(source!, $@"\b(void|Task)\s+{method}\("), Is.True, $"docs/faults.md names {type}.{method}, but {type}.cs has no such test");
                named++;
            }
        }

        Assert.That(named, Is.GreaterThan(20));
    }

    [GeneratedRegex(@"`([A-Z]\w*Tests)\.(\w+)`")]
    private static partial Regex TestName();
}
