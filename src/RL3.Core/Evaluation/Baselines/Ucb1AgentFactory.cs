using System.Globalization;
using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002) for multi-armed bandits: pull every arm once (untried arms in
/// uniformly random order), then the arm maximising <c>mean_a + c·√(ln t / n_a)</c>, t = pulls so far, ties broken
/// uniformly at random. The textbook constant is c = √2. Applies to bandit families (task horizon 1) with rewards in [0, 1].
/// </summary>
public sealed class Ucb1AgentFactory : IMetaAgentFactory
{
    /// <summary>The textbook exploration constant √2.</summary>
    public static readonly double TextbookExplorationConstant = Math.Sqrt(2.0);

    /// <summary>Creates the factory.</summary>
    /// <param name="explorationConstant">c ≥ 0 (finite); default √2.</param>
    /// <param name="name">Display name; default <c>ucb1 (c=…)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="explorationConstant"/> is negative or not finite.</exception>
    public Ucb1AgentFactory(double? explorationConstant = null, string? name = null)
    {
        double c = explorationConstant ?? TextbookExplorationConstant;
        if (!(c >= 0) || !double.IsFinite(c))
        {
            throw new ArgumentOutOfRangeException(nameof(explorationConstant), c, "explorationConstant (c) must be finite and ≥ 0.");
        }

        ExplorationConstant = c;
        Name = name ?? string.Create(CultureInfo.InvariantCulture, $"ucb1 (c={c:0.###})");
    }

    /// <summary>The exploration constant c.</summary>
    public double ExplorationConstant { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget) => TaskFamilyRequirements.Bandit(distribution, interactionBudget, "UCB1");

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new Ucb1Agent(Name, ExplorationConstant);
}
