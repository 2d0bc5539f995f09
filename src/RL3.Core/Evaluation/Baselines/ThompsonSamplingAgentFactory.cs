using System.Globalization;
using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// Thompson sampling for Bernoulli bandits (Thompson 1933) with independent Beta(α₀, β₀) priors (default
/// Beta(1, 1), uniform): each step draw θ_a ~ Beta(α₀ + successes_a, β₀ + failures_a) and pull the arm with the
/// largest draw. Applies to Bernoulli bandit families (task horizon 1, rewards 0 or 1).
/// </summary>
public sealed class ThompsonSamplingAgentFactory : IMetaAgentFactory
{
    /// <summary>Creates the factory.</summary>
    /// <param name="priorSuccesses">α₀ &gt; 0 (default 1).</param>
    /// <param name="priorFailures">β₀ &gt; 0 (default 1).</param>
    /// <param name="name">Display name; default <c>thompson</c> (with the prior when it is not Beta(1,1)).</param>
    /// <exception cref="ArgumentOutOfRangeException">A prior parameter is not positive and finite.</exception>
    public ThompsonSamplingAgentFactory(double priorSuccesses = 1.0, double priorFailures = 1.0, string? name = null)
    {
        BetaPrior.Validate(priorSuccesses, nameof(priorSuccesses));
        BetaPrior.Validate(priorFailures, nameof(priorFailures));
        PriorSuccesses = priorSuccesses;
        PriorFailures = priorFailures;
        Name = name ?? (priorSuccesses == 1.0 && priorFailures == 1.0
            ? "thompson"
            : string.Create(CultureInfo.InvariantCulture, $"thompson (Beta({priorSuccesses:0.###},{priorFailures:0.###}))"));
    }

    /// <summary>α₀.</summary>
    public double PriorSuccesses { get; }

    /// <summary>β₀.</summary>
    public double PriorFailures { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget) => TaskFamilyRequirements.Bandit(distribution, interactionBudget, "Thompson sampling (Beta–Bernoulli)");

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new ThompsonSamplingAgent(Name, PriorSuccesses, PriorFailures);
}
