using System.Text.RegularExpressions;

namespace RL3.Cli.Tests;

/// <summary>Checks that a report is well-formed, self-contained HTML with inline SVG charts and a table.</summary>
internal static partial class HtmlChecks
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase) { "meta", "br", "img", "hr", "input", "link" };

    public static void AssertWellFormedReport(string html, int minimumSvgs)
    {
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("@import").And.Not.Contain("url("));
        Assert.That(Regex.Matches(html, "https?://").Select(m => html.Substring(m.Index, 30)), Is.All.StartsWith("http://www.w3.org/2000/svg"), "no external resources");
        Assert.That(Regex.Count(html, "<svg "), Is.GreaterThanOrEqualTo(minimumSvgs));
        Assert.That(html, Does.Contain("<table").And.Contain("95% CI"));
        Assert.That(html, Does.Not.Contain("NaN").And.Not.Contain("Infinity"));

        var stack = new Stack<string>();
        foreach (Match tag in TagPattern().Matches(html))
        {
            string name = tag.Groups[2].Value.ToLowerInvariant();
            bool closing = tag.Groups[1].Value == "/";
            bool selfClosing = tag.Value.EndsWith("/>", StringComparison.Ordinal);
            if (name == "!doctype" || VoidElements.Contains(name) || selfClosing)
            {
                continue;
            }

            if (!closing)
            {
                stack.Push(name);
                continue;
            }

            Assert.That(stack, Is.Not.Empty, $"unexpected </{name}>");
            Assert.That(stack.Pop(), Is.EqualTo(name), $"mismatched </{name}> at {tag.Index}");
        }

        Assert.That(stack, Is.Empty, "unclosed elements");
    }

    [GeneratedRegex(@"<(/?)([!a-zA-Z][a-zA-Z0-9]*)[^>]*>")]
    private static partial Regex TagPattern();
}
