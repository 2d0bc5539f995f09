using RL3.Core.Randomness;

namespace RL3.Core.Tasks.Bandits;

/// <summary>
/// Bernoulli multi-armed bandits as one-step episodic MDPs (RL² / RL³ papers): pulling arm a pays 1 with
/// probability p_a and ends the episode. Task horizon 1, two states (start, pulled), one-hot observations.
/// </summary>
/// <remarks>
/// <see cref="Sample"/> draws the k success probabilities in arm order, one uniform draw
/// (<see cref="BanditArmPrior.Uniform"/>) or one Gaussian draw (<see cref="BanditArmPrior.ShiftedNormal"/>)
/// per arm, and nothing else.
/// </remarks>
public sealed class BernoulliBanditDistribution : ITaskDistribution, ITaskFamilySettingsProvider
{
    /// <summary>Creates the distribution.</summary>
    /// <param name="options">The parameters; <see cref="BernoulliBanditOptions.Default"/> when null.</param>
    /// <param name="name">The distribution's name; <c>bandits-k{k}</c> (plus <c>-ood</c> for the shifted-normal prior) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and the allowed range).</exception>
    public BernoulliBanditDistribution(BernoulliBanditOptions? options = null, string? name = null)
    {
        options ??= BernoulliBanditOptions.Default;
        Guard.InRange(options.ArmCount, 1, BernoulliBanditOptions.MaxArmCount, "options.ArmCount");
        if (!Enum.IsDefined(options.Prior))
        {
            throw new ArgumentOutOfRangeException("options.Prior", options.Prior, "options.Prior must be Uniform or ShiftedNormal.");
        }

        Options = options;
        Name = name ?? (options.Prior == BanditArmPrior.Uniform ? $"bandits-k{options.ArmCount}" : $"bandits-k{options.ArmCount}-ood");
    }

    /// <summary>The parameters this distribution was built with.</summary>
    public BernoulliBanditOptions Options { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int ActionCount => Options.ArmCount;

    /// <inheritdoc />
    public int ObservationSize => BernoulliBanditTask.StateCount;

    /// <inheritdoc />
    public int StateCount => BernoulliBanditTask.StateCount;

    /// <summary>Gets the bandit family's RL³ settings: H = 100, c = 1, λ = 0.1, ε = 0.01 (docs/method.md §2).</summary>
    public TaskFamilySettings FamilySettings { get; } = new() { InteractionBudget = 100, ValueScale = 1.0, LaplaceSmoothing = 0.1, ValueIterationEpsilon = 0.01 };

    /// <inheritdoc />
    public int TaskHorizon => 1;

    /// <inheritdoc />
    public ITask Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = new double[Options.ArmCount];
        for (int a = 0; a < p.Length; a++)
        {
            p[a] = Options.Prior == BanditArmPrior.Uniform ? random.NextDouble() : 0.5 + 0.5 * random.NextGaussian();
        }

        return new BernoulliBanditTask(p, copy: false);
    }
}
