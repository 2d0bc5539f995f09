using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Reports configuration keys that bind to nothing (a misspelt <c>RL3:Ppo:LearningRat</c> would otherwise silently keep the default),
/// as an options validation failure so that <c>ValidateOnStart</c> and the trainer factory report it with the other errors.
/// </summary>
internal sealed class RL3ConfigurationKeysValidator(IConfiguration configuration) : IValidateOptions<RL3Options>
{
    private static readonly (string Section, Type Type)[] Sections =
    [
        (RL3Options.PpoSection, typeof(PpoOptions)),
        (RL3Options.InnerSection, typeof(InnerEstimatorOptions)),
        (RL3Options.GruPolicySection, typeof(GruPolicyOptions)),
        (RL3Options.TransformerPolicySection, typeof(TransformerPolicyOptions)),
        (RL3Options.MlpPolicySection, typeof(MlpPolicyOptions)),
        (RL3Options.EvaluationSection, typeof(EvaluationOptions)),
    ];

    public ValidateOptionsResult Validate(string? name, RL3Options options)
    {
        var failures = new List<string>();
        var rootKeys = Settable(typeof(RL3Options));
        foreach (var (section, _) in Sections)
        {
            rootKeys.Add(section);
        }

        Check(configuration, rootKeys, RL3Options.SectionName, failures);
        foreach (var (section, type) in Sections)
        {
            var keys = Settable(type);

            // H is RL3:InteractionBudget, for evaluation as for training.
            if (type == typeof(EvaluationOptions))
            {
                keys.Remove(nameof(EvaluationOptions.InteractionBudget));
            }

            Check(configuration.GetSection(section), keys, $"{RL3Options.SectionName}:{section}", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(IConfiguration section, HashSet<string> known, string path, List<string> failures)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key))
            {
                failures.Add($"Unknown configuration key '{path}:{child.Key}'. Valid keys of {path}: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    private static HashSet<string> Settable(Type type)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true })
            {
                names.Add(property.Name);
            }
        }

        return names;
    }
}
