using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using RL3.Core.DependencyInjection;
using RL3.Core.Evaluation;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.Tests.Docs;

/// <summary>Keeps docs/configuration.md in step with the code: every public option property has a row with its actual default.</summary>
public class ConfigurationDocsTests
{
    /// <summary>The documented types, the doc's section heading for each, and whether its keys are camelCase (preset JSON).</summary>
    private static readonly (Type Type, bool CamelCase)[] Documented =
    [
        (typeof(RL3Options), false),
        (typeof(PpoOptions), false),
        (typeof(InnerEstimatorOptions), false),
        (typeof(MetaEnvironmentOptions), false),
        (typeof(ModelBasedValueIterationOptions), false),
        (typeof(TabularQLearningOptions), false),
        (typeof(GruPolicyOptions), false),
        (typeof(TransformerPolicyOptions), false),
        (typeof(MlpPolicyOptions), false),
        (typeof(EvaluationOptions), false),
        (typeof(TrainingPreset), true),
        (typeof(PolicyPreset), true),
        (typeof(EvaluationPreset), true),
    ];

    public static IEnumerable<Type> DocumentedTypes => Documented.Select(d => d.Type);

    [TestCaseSource(nameof(DocumentedTypes))]
    public void ConfigurationMd_EveryPublicOption_HasRowWithActualDefault(Type type)
    {
        string doc = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "docs", "configuration.md"));
        string section = Section(doc, type.Name);
        bool camel = Documented.Single(d => d.Type == type).CamelCase;
        var missing = new List<string>();
        foreach (var (key, value) in Rows(type, camel))
        {
            string row = $"| `{key}` | {value} |";
            if (!section.Contains(row, StringComparison.Ordinal))
            {
                missing.Add(row);
            }
        }

        Assert.That(missing, Is.Empty, $"docs/configuration.md, section '## {type.Name}', lacks (or has a stale default for) these rows; regenerate them with the explicit test {nameof(ConfigurationMd_PrintRows)}:\n{string.Join("\n", missing)}");
    }

    [Test]
    [Explicit("Prints the name | default columns of every table of docs/configuration.md")]
    public void ConfigurationMd_PrintRows()
    {
        var text = new StringBuilder();
        foreach (var (type, camel) in Documented)
        {
            text.Append("## ").Append(type.Name).Append('\n');
            foreach (var (key, value) in Rows(type, camel))
            {
                text.Append($"| `{key}` | {value} |\n");
            }
        }

        TestContext.Out.WriteLine(text.ToString());
    }

    private static IEnumerable<(string Key, string Default)> Rows(Type type, bool camel)
    {
        object instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            string key = camel ? JsonNamingPolicy.CamelCase.ConvertName(property.Name) : property.Name;
            yield return (key, Format(property.GetValue(instance)));
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "`null`",
        bool b => b ? "`true`" : "`false`",
        string s => $"`\"{s}\"`",
        double d => $"`{d.ToString("R", CultureInfo.InvariantCulture)}`",
        float f => $"`{f.ToString("R", CultureInfo.InvariantCulture)}`",
        Enum e => $"`{e}`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"section `{value.GetType().Name}`",
    };

    private static string Section(string doc, string typeName)
    {
        string heading = $"\n## {typeName}\n";
        int start = doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"docs/configuration.md has no '## {typeName}' section.");
        int end = doc.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? doc[start..] : doc[start..end];
    }

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
}
