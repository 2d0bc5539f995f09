using System.Text.RegularExpressions;

namespace RL3.Core.Tests.Docs;

/// <summary>Every reference to the method specification points inside the repository, at a section that exists.</summary>
public sealed partial class MethodDocsTests
{
    private static readonly string[] Roots = ["src", "tests", "docs", "samples", "benchmarks"];

    [Test]
    public void MethodReferences_PointToExistingSectionsOfDocsMethodMd()
    {
        string root = DocsPaths.RepositoryRoot();
        string method = File.ReadAllText(Path.Combine(root, "docs", "method.md"));
        var sections = SectionHeading().Matches(method).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.That(sections, Is.EquivalentTo(new[] { "1", "2", "3", "4", "5", "6", "7" }));

        string outside = "METHOD" + ".md"; // the design file outside the repository the docs once cited
        int references = 0;
        foreach (string file in Files(root))
        {
            string text = File.ReadAllText(file);
            string relative = Path.GetRelativePath(root, file);
            Assert.That(text, Does.Not.Contain(outside), $"{relative} cites {outside}, which is not in the repository; cite docs/method.md");
            foreach (Match reference in Reference().Matches(text))
            {
                foreach (Group section in new[] { reference.Groups[1], reference.Groups[2] }.Where(g => g.Success))
                {
                    Assert.That(sections, Does.Contain(section.Value), $"{relative}: '{reference.Value}' names a section docs/method.md does not have");
                }

                references++;
            }
        }

        Assert.That(references, Is.GreaterThan(20));
    }

    private static IEnumerable<string> Files(string root) =>
        Roots.Select(r => Path.Combine(root, r)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(root, "README.md"));

    [GeneratedRegex(@"^## (\d)\. ", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"method\.md\]?(?:\([^)]*\))? §(\d)(?:[–-]§?(\d))?")]
    private static partial Regex Reference();
}
