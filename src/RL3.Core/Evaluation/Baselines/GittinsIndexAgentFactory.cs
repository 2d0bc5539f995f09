using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// The finite-horizon Gittins index policy for Bernoulli bandits: at step t pull the arm with the largest
/// <see cref="GittinsIndexTable"/> index λ*(s_a, f_a, H − t), ties broken uniformly at random. Applies to Bernoulli
/// bandit families (task horizon 1, rewards 0 or 1).
/// </summary>
/// <remarks>
/// Index tables are computed on first use (<see cref="EnsureSupports"/> computes the one it checks) and cached per
/// horizon in this factory (thread-safe), so one factory evaluated over many tasks computes each table once. A table for horizon H' serves every H ≤ H' (the index of
/// (s, f, r) does not depend on H).
/// </remarks>
public sealed class GittinsIndexAgentFactory : IMetaAgentFactory
{
    private readonly Dictionary<int, Lazy<GittinsIndexTable>> _tables = [];
    private readonly object _lock = new();
    private readonly GittinsIndexTable? _fixedTable;

    /// <summary>Creates the factory; tables are computed per horizon on first use.</summary>
    /// <param name="priorSuccesses">α₀ of the Beta prior (&gt; 0; default 1).</param>
    /// <param name="priorFailures">β₀ of the Beta prior (&gt; 0; default 1).</param>
    /// <param name="name">Display name; default <c>gittins</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A prior parameter is not positive and finite.</exception>
    public GittinsIndexAgentFactory(double priorSuccesses = 1.0, double priorFailures = 1.0, string name = "gittins")
    {
        BetaPrior.Validate(priorSuccesses, nameof(priorSuccesses));
        BetaPrior.Validate(priorFailures, nameof(priorFailures));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        PriorSuccesses = priorSuccesses;
        PriorFailures = priorFailures;
        Name = name;
    }

    /// <summary>Creates the factory around a precomputed table (usable for every H ≤ its horizon).</summary>
    /// <param name="table">The index table.</param>
    /// <param name="name">Display name; default <c>gittins</c>.</param>
    public GittinsIndexAgentFactory(GittinsIndexTable table, string name = "gittins")
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _fixedTable = table;
        PriorSuccesses = table.PriorSuccesses;
        PriorFailures = table.PriorFailures;
        Name = name;
    }

    /// <summary>α₀ of the Beta prior.</summary>
    public double PriorSuccesses { get; }

    /// <summary>β₀ of the Beta prior.</summary>
    public double PriorFailures { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget)
    {
        TaskFamilyRequirements.Bandit(distribution, interactionBudget, "The Gittins index policy (Beta–Bernoulli)");
        int max = _fixedTable?.Horizon ?? GittinsIndexTable.MaxHorizon;
        if (interactionBudget > max)
        {
            throw new ArgumentOutOfRangeException(nameof(interactionBudget), interactionBudget, $"interactionBudget (H) must be in [1, {max}] (the horizon of the Gittins index table).");
        }

        // Compute the table now, on the caller's thread, rather than inside an evaluator's parallel loop where the
        // other workers would block on it.
        _ = GetTable(interactionBudget);
    }

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new GittinsIndexAgent(Name, this);

    /// <summary>The index table for horizon <paramref name="horizon"/> (computed once, then cached).</summary>
    /// <param name="horizon">H, in [1, <see cref="GittinsIndexTable.MaxHorizon"/>] (at most the fixed table's horizon).</param>
    /// <returns>A table covering H.</returns>
    public GittinsIndexTable GetTable(int horizon)
    {
        if (_fixedTable is not null)
        {
            if (horizon < 1 || horizon > _fixedTable.Horizon)
            {
                throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"horizon (H) must be in [1, {_fixedTable.Horizon}]: the given Gittins table was computed for H = {_fixedTable.Horizon}.");
            }

            return _fixedTable;
        }

        if (horizon < 1 || horizon > GittinsIndexTable.MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"horizon must be in [1, {GittinsIndexTable.MaxHorizon}].");
        }

        Lazy<GittinsIndexTable>? lazy;
        lock (_lock)
        {
            if (!_tables.TryGetValue(horizon, out lazy))
            {
                double a0 = PriorSuccesses, b0 = PriorFailures;
                lazy = new Lazy<GittinsIndexTable>(() => GittinsIndexTable.Compute(horizon, a0, b0), LazyThreadSafetyMode.ExecutionAndPublication);
                _tables.Add(horizon, lazy);
            }
        }

        return lazy.Value;
    }
}
