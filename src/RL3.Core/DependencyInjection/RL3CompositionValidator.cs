using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Validates <see cref="RL3Options"/> and the rules that span several options types: the task name is known, the enums are
/// defined, RL³-coarse has a radius, and the interaction budget H agrees between PPO, the environment and the evaluation.
/// </summary>
internal sealed class RL3CompositionValidator(
    ITaskDistributionRegistry registry,
    IOptions<PpoOptions> ppo,
    IOptions<MetaEnvironmentOptions> environment,
    IOptions<EvaluationOptions> evaluation) : IValidateOptions<RL3Options>
{
    private const string Root = RL3Options.SectionName;

    public ValidateOptionsResult Validate(string? name, RL3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TaskDistribution) || !registry.Contains(options.TaskDistribution))
        {
            failures.Add($"RL3Options.TaskDistribution '{options.TaskDistribution}' is not a known task distribution (configuration key {Root}:TaskDistribution). " +
                         $"Known names: {string.Join(", ", registry.Names)}; register your own with AddTaskDistribution.");
        }

        if (!Enum.IsDefined(options.Algorithm))
        {
            failures.Add($"RL3Options.Algorithm must be Rl2, Rl3, Rl3Coarse or Rl3QLearning but is {options.Algorithm} (configuration key {Root}:Algorithm).");
        }

        if (!Enum.IsDefined(options.Policy))
        {
            failures.Add($"RL3Options.Policy must be Gru, Transformer or Mlp but is {options.Policy} (configuration key {Root}:Policy).");
        }

        if (options.ClusteringRadius is { } radius && !(radius > 0 && double.IsFinite(radius)))
        {
            failures.Add(Invariant($"RL3Options.ClusteringRadius must be positive and finite (or null) but is {radius} (configuration key {Root}:ClusteringRadius)."));
        }
        else if (options.Algorithm == MetaAlgorithm.Rl3Coarse && options.ClusteringRadius is null
                 && !(TaskCatalog.TryGet(options.TaskDistribution, out var entry) && entry.ClusteringRadius is not null))
        {
            failures.Add($"RL3Options.ClusteringRadius must be set for Algorithm Rl3Coarse on '{options.TaskDistribution}', which has no catalog radius (configuration key {Root}:ClusteringRadius).");
        }

        // Each options type reports its own errors; the cross-type rule is checked only when all three are valid.
        if (TryGet(ppo, out var p) && TryGet(environment, out var e) && TryGet(evaluation, out var v))
        {
            CheckInteractionBudgets(p.InteractionBudget, e.InteractionBudget, v.InteractionBudget, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckInteractionBudgets(int h, int environment, int evaluation, List<string> failures)
    {
        if (environment != h)
        {
            failures.Add(Invariant($"MetaEnvironmentOptions.InteractionBudget ({environment}) must equal PpoOptions.InteractionBudget ({h}): both are the interaction budget H (configuration keys {Root}:{RL3Options.EnvironmentSection}:InteractionBudget and {Root}:{RL3Options.PpoSection}:InteractionBudget)."));
        }

        if (evaluation != h)
        {
            failures.Add(Invariant($"EvaluationOptions.InteractionBudget ({evaluation}) must equal PpoOptions.InteractionBudget ({h}): both are the interaction budget H (configuration keys {Root}:{RL3Options.EvaluationSection}:InteractionBudget and {Root}:{RL3Options.PpoSection}:InteractionBudget)."));
        }
    }

    private static bool TryGet<TOptions>(IOptions<TOptions> options, [NotNullWhen(true)] out TOptions? value)
        where TOptions : class
    {
        try
        {
            value = options.Value;
            return true;
        }
        catch (OptionsValidationException)
        {
            value = null;
            return false;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
