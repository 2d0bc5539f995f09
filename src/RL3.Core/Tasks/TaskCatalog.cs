using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using RL3.Core.Tasks.Bandits;
using RL3.Core.Tasks.GridWorlds;
using RL3.Core.Tasks.RandomMdps;

namespace RL3.Core.Tasks;

/// <summary>
/// The built-in task distributions of the RL³ paper by name; each distribution declares its family's settings
/// (interaction budget H, value scale c, Laplace smoothing λ, value-iteration ε, clustering radius ρ) through
/// <see cref="ITaskFamilySettingsProvider"/>.
/// </summary>
/// <remarks>
/// Settings (docs/method.md §2–§4): bandits H = 100, c = 1, λ = 0.1, ε = 0.01; random MDPs H = 100, c = 10, λ = 0.1,
/// ε = 0.01; grid worlds c = 10, λ = 0.01, ε = 0.1 with H = 250, ρ = 0.1 on 11x11 and H = 350, ρ = 0.08 on 13x13 and
/// its out-of-distribution variants. Immutable; lookup by name is case-insensitive.
/// </remarks>
public static class TaskCatalog
{
    /// <summary>5-armed Bernoulli bandits, p_a ~ U(0, 1).</summary>
    public const string BanditsK5 = "bandits-k5";

    /// <summary>5-armed Bernoulli bandits, p_a = 0.5 + 0.5·N(0, 1) (out of distribution).</summary>
    public const string BanditsK5Ood = "bandits-k5-ood";

    /// <summary>Random MDPs, 10 states × 5 actions, α = 1.</summary>
    public const string Mdp10x5 = "mdp-10x5";

    /// <summary>Random MDPs, 10 states × 5 actions, α = 0.25 (out of distribution).</summary>
    public const string Mdp10x5Ood = "mdp-10x5-ood";

    /// <summary>11x11 grid worlds.</summary>
    public const string Grid11x11 = "grid-11x11";

    /// <summary>13x13 grid worlds.</summary>
    public const string Grid13x13 = "grid-13x13";

    /// <summary>13x13 grid worlds with obstacle segments of length 4.</summary>
    public const string Grid13x13Dense = "grid-13x13-dense";

    /// <summary>13x13 grid worlds without slipping (water still slips).</summary>
    public const string Grid13x13Deterministic = "grid-13x13-deterministic";

    /// <summary>13x13 grid worlds with 8 water segments.</summary>
    public const string Grid13x13Watery = "grid-13x13-watery";

    /// <summary>13x13 grid worlds with 4 dangers.</summary>
    public const string Grid13x13Dangerous = "grid-13x13-dangerous";

    /// <summary>13x13 grid worlds with the goal in a corner region (distance ≥ 12 from the centre).</summary>
    public const string Grid13x13Corner = "grid-13x13-corner";

    private static readonly TaskCatalogEntry[] AllEntries =
    [
        Bandit(BanditsK5, "5-armed Bernoulli bandits, p ~ U(0,1)", BernoulliBanditOptions.Default),
        Bandit(BanditsK5Ood, "5-armed Bernoulli bandits, p = 0.5 + 0.5 N(0,1) unclipped (OOD)", BernoulliBanditOptions.OutOfDistribution),
        Mdp(Mdp10x5, "random MDPs, 10 states x 5 actions, TH = 10, Dirichlet(1)", RandomMdpOptions.Default),
        Mdp(Mdp10x5Ood, "random MDPs, 10 states x 5 actions, TH = 10, Dirichlet(0.25) (OOD)", RandomMdpOptions.OutOfDistribution),
        Grid(Grid11x11, "11x11 grid worlds", GridWorldOptions.Grid11x11),
        Grid(Grid13x13, "13x13 grid worlds", GridWorldOptions.Grid13x13),
        Grid(Grid13x13Dense, "13x13 grid worlds, obstacle length 4 (OOD)", GridWorldOptions.Dense13x13),
        Grid(Grid13x13Deterministic, "13x13 grid worlds, slip 0 (OOD)", GridWorldOptions.Deterministic13x13),
        Grid(Grid13x13Watery, "13x13 grid worlds, 8 water sets (OOD)", GridWorldOptions.Watery13x13),
        Grid(Grid13x13Dangerous, "13x13 grid worlds, 4 dangers (OOD)", GridWorldOptions.Dangerous13x13),
        Grid(Grid13x13Corner, "13x13 grid worlds, goal distance >= 12 (OOD)", GridWorldOptions.Corner13x13),
    ];

    private static readonly FrozenDictionary<string, TaskCatalogEntry> ByName =
        AllEntries.ToFrozenDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] AllNames = Array.ConvertAll(AllEntries, e => e.Name);

    /// <summary>Every entry, in catalog order.</summary>
    public static IReadOnlyList<TaskCatalogEntry> Entries { get; } = Array.AsReadOnly(AllEntries);

    /// <summary>Every name, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(AllNames);

    /// <summary>Finds an entry by name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">No entry has that name; the message lists the valid names.</exception>
    public static TaskCatalogEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ByName.TryGetValue(name, out var entry))
        {
            throw new ArgumentException($"Unknown task distribution '{name}'. Valid names: {string.Join(", ", AllNames)}.", nameof(name));
        }

        return entry;
    }

    /// <summary>Finds an entry by name (case-insensitive) without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="entry">The entry, when found.</param>
    /// <returns>Whether an entry has that name.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out TaskCatalogEntry? entry)
    {
        if (name is null)
        {
            entry = null;
            return false;
        }

        return ByName.TryGetValue(name, out entry);
    }

    /// <summary>Creates the distribution of an entry by name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>A new distribution.</returns>
    /// <exception cref="ArgumentException">No entry has that name; the message lists the valid names.</exception>
    public static ITaskDistribution Create(string name) => Get(name).CreateDistribution();

    private static TaskCatalogEntry Bandit(string name, string description, BernoulliBanditOptions options) =>
        new(name, description, () => new BernoulliBanditDistribution(options, name));

    private static TaskCatalogEntry Mdp(string name, string description, RandomMdpOptions options) =>
        new(name, description, () => new RandomMdpDistribution(options, name));

    private static TaskCatalogEntry Grid(string name, string description, GridWorldOptions options) =>
        new(name, description, () => new GridWorldDistribution(options, name));
}
