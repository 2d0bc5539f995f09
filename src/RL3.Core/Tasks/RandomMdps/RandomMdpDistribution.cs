using RL3.Core.Randomness;

namespace RL3.Core.Tasks.RandomMdps;

/// <summary>
/// Random tabular MDPs (RL² paper, §5.1): every T(·|s,a) ~ Dirichlet(α·1), mean rewards R(s,a) ~ N(1, 1),
/// each step pays R(s,a) + N(0, 1), episodes start in state 0 and last exactly TH steps (no absorbing states).
/// </summary>
/// <remarks>
/// <see cref="Sample"/> draws, in this order: for each s, for each a, the row T(·|s,a) (S Gamma draws);
/// then for each s, for each a, R(s,a) (one Gaussian draw).
/// </remarks>
public sealed class RandomMdpDistribution : ITaskDistribution, ITaskFamilySettingsProvider
{
    /// <summary>Creates the distribution.</summary>
    /// <param name="options">The parameters; <see cref="RandomMdpOptions.Default"/> when null.</param>
    /// <param name="name">The distribution's name; <c>mdp-{S}x{A}</c> (plus <c>-ood</c> when α ≠ 1) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and the allowed range).</exception>
    public RandomMdpDistribution(RandomMdpOptions? options = null, string? name = null)
    {
        options ??= RandomMdpOptions.Default;
        Guard.InRange(options.StateCount, 1, RandomMdpOptions.MaxStateCount, "options.StateCount");
        Guard.InRange(options.ActionCount, 1, RandomMdpOptions.MaxActionCount, "options.ActionCount");
        Guard.AtLeast(options.TaskHorizon, 1, "options.TaskHorizon");
        Guard.Positive(options.DirichletConcentration, "options.DirichletConcentration");
        Guard.Finite(options.MeanRewardMean, "options.MeanRewardMean");
        Guard.AtLeast(options.MeanRewardStandardDeviation, 0.0, "options.MeanRewardStandardDeviation");
        Guard.AtLeast(options.RewardNoiseStandardDeviation, 0.0, "options.RewardNoiseStandardDeviation");
        Options = options;
        Name = name ?? $"mdp-{options.StateCount}x{options.ActionCount}{(options.DirichletConcentration == 1.0 ? string.Empty : "-ood")}";
    }

    /// <summary>The parameters this distribution was built with.</summary>
    public RandomMdpOptions Options { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int ActionCount => Options.ActionCount;

    /// <inheritdoc />
    public int ObservationSize => Options.StateCount;

    /// <inheritdoc />
    public int StateCount => Options.StateCount;

    /// <summary>Gets the random-MDP family's RL³ settings: H = 100, c = 10, λ = 0.1, ε = 0.01 (docs/method.md §3).</summary>
    public TaskFamilySettings FamilySettings { get; } = new() { InteractionBudget = 100, ValueScale = 10.0, LaplaceSmoothing = 0.1, ValueIterationEpsilon = 0.01 };

    /// <inheritdoc />
    public int TaskHorizon => Options.TaskHorizon;

    /// <inheritdoc />
    public ITask Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int s = Options.StateCount, a = Options.ActionCount;
        var transitions = new double[s * a * s];
        for (int row = 0; row < s * a; row++)
        {
            random.NextDirichlet(Options.DirichletConcentration, transitions.AsSpan(row * s, s));
        }

        var meanRewards = new double[s * a];
        for (int i = 0; i < meanRewards.Length; i++)
        {
            meanRewards[i] = random.NextGaussian(Options.MeanRewardMean, Options.MeanRewardStandardDeviation);
        }

        return new RandomMdpTask(s, a, transitions, meanRewards, Options.TaskHorizon, Options.RewardNoiseStandardDeviation);
    }
}
