using System.Globalization;
using Microsoft.Extensions.Options;
using RL3.Core.Meta;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Validates <see cref="RL3Options"/> and the rules that span several options types: the task name is known, the enums are
/// defined, H is at least 1, the PPO batch fits H, and the run composes (e.g. RL³-coarse has a clustering radius).
/// </summary>
internal sealed class RL3CompositionValidator(
    ITaskDistributionRegistry registry,
    IOptions<PpoOptions> ppo,
    IOptions<InnerEstimatorOptions> inner) : IValidateOptions<RL3Options>
{
    private const string Root = RL3Options.SectionName;

    public ValidateOptionsResult Validate(string? name, RL3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        bool known = !string.IsNullOrWhiteSpace(options.TaskDistribution) && registry.Contains(options.TaskDistribution);
        if (!known)
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

        if (!PolicyBackends.IsKnown(options.PolicyBackend))
        {
            failures.Add($"RL3Options.PolicyBackend must be one of {string.Join(", ", PolicyBackends.Names)} but is '{options.PolicyBackend}' (configuration key {Root}:PolicyBackend).");
        }

        if (options.InteractionBudget < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"RL3Options.InteractionBudget (H) must be in [1, int.MaxValue] but is {options.InteractionBudget} (configuration key {Root}:InteractionBudget)."));
        }

        // Each options type reports its own range errors; the rules across types are checked only when the parts are valid.
        if (failures.Count == 0 && TryGet(ppo, out var p) && TryGet(inner, out var i))
        {
            Check(() => p.Validate(options.InteractionBudget), $"{Root}:{RL3Options.PpoSection}", failures);
            Check(() => MetaEnvironmentSpec.ForAlgorithm(registry.Get(options.TaskDistribution), options.Algorithm, options.InteractionBudget, i), $"{Root}:{RL3Options.InnerSection}", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(Action compose, string section, List<string> failures)
    {
        try
        {
            compose();
        }
        catch (ArgumentException ex)
        {
            string message = ex.Message;
            int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            message = cut >= 0 ? message[..cut] : message;
            cut = message.IndexOfAny(['\r', '\n']);
            failures.Add($"{(cut >= 0 ? message[..cut] : message)} (configuration section {section})");
        }
    }

    private static bool TryGet<TOptions>(IOptions<TOptions> options, out TOptions value)
        where TOptions : class
    {
        try
        {
            value = options.Value;
            return true;
        }
        catch (OptionsValidationException)
        {
            value = null!;
            return false;
        }
    }
}
