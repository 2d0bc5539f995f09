namespace RL3.Core.Inner;

/// <summary>Options of <see cref="ModelBasedValueIteration"/>. Copied and validated when the estimator is built.</summary>
/// <remarks>
/// Paper values (docs/method.md §3): γ = 0.95; ε = 0.01 (0.1 for grid worlds); at most TH sweeps (H for grid worlds,
/// whose task horizon is unbounded); λ = 0.1 (0.01 for grid worlds); zero start when TH &lt; 100, warm start
/// otherwise. <see cref="ForTask"/> applies the horizon rules.
/// </remarks>
public sealed class ModelBasedValueIterationOptions
{
    /// <summary>Discount γ in [0, 1]. Default 0.95.</summary>
    public double Gamma { get; set; } = 0.95;

    /// <summary>Stop when max |ΔQ| of a sweep is below ε (finite, at least 0). Default 0.01.</summary>
    public double Epsilon { get; set; } = 0.01;

    /// <summary>
    /// Maximum sweeps per solve, at least 1. Default 10 (the random-MDP task horizon): set it to the task horizon
    /// TH, or to the interaction budget H when the task horizon is unbounded (see <see cref="ForTask"/>).
    /// </summary>
    public int MaxSweeps { get; set; } = 10;

    /// <summary>Laplace smoothing λ (finite, at least 0). Default 0.1 (paper: 0.1 bandits and MDPs, 0.01 grid worlds).</summary>
    public double LaplaceSmoothing { get; set; } = 0.1;

    /// <summary>
    /// Start each solve from the previous solution (true) or from Q = 0 (false). Default false; the paper's rule is
    /// <see cref="DefaultWarmStart"/>(TH): zero start when TH &lt; 100, warm start otherwise.
    /// </summary>
    public bool WarmStart { get; set; }

    /// <summary>Propagate standard errors SE_Q, SE_V through the sweeps. Default false.</summary>
    public bool StandardErrors { get; set; }

    /// <summary>The paper's warm-start rule: zero start when the task horizon is below 100, warm start otherwise (an unbounded horizon counts as ≥ 100).</summary>
    /// <param name="taskHorizon">The task horizon TH; 0 means unbounded.</param>
    /// <returns>Whether to warm-start.</returns>
    public static bool DefaultWarmStart(int taskHorizon) => taskHorizon <= 0 || taskHorizon >= 100;

    /// <summary>Options with the paper's horizon rules: <see cref="MaxSweeps"/> = TH (H when TH is unbounded) and <see cref="WarmStart"/> = <see cref="DefaultWarmStart"/>(TH); other fields keep their defaults.</summary>
    /// <param name="taskHorizon">The task horizon TH; 0 means unbounded.</param>
    /// <param name="interactionBudget">The interaction budget H (used when TH is unbounded), at least 1.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The task horizon is negative, or it is 0 and the budget is below 1.</exception>
    public static ModelBasedValueIterationOptions ForTask(int taskHorizon, int interactionBudget)
    {
        if (taskHorizon < 0)
        {
            Guard.ThrowOutOfRange(taskHorizon, "in [0, int.MaxValue] (0 = unbounded)", nameof(taskHorizon));
        }

        if (taskHorizon == 0 && interactionBudget < 1)
        {
            Guard.ThrowOutOfRange(interactionBudget, "in [1, int.MaxValue] when the task horizon is unbounded", nameof(interactionBudget));
        }

        return new ModelBasedValueIterationOptions
        {
            MaxSweeps = taskHorizon > 0 ? taskHorizon : interactionBudget,
            WarmStart = DefaultWarmStart(taskHorizon),
        };
    }

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range; the message names it and its range.</exception>
    public void Validate()
    {
        const string options = "options";
        if (!(Gamma >= 0 && Gamma <= 1))
        {
            Guard.ThrowOutOfRange(Gamma, "in [0, 1]", options, "ModelBasedValueIterationOptions.Gamma");
        }

        if (!(Epsilon >= 0) || double.IsInfinity(Epsilon))
        {
            Guard.ThrowOutOfRange(Epsilon, "in [0, ∞) (finite)", options, "ModelBasedValueIterationOptions.Epsilon");
        }

        if (MaxSweeps < 1)
        {
            Guard.ThrowOutOfRange(MaxSweeps, "in [1, int.MaxValue]", options, "ModelBasedValueIterationOptions.MaxSweeps");
        }

        if (!(LaplaceSmoothing >= 0) || double.IsInfinity(LaplaceSmoothing))
        {
            Guard.ThrowOutOfRange(LaplaceSmoothing, "in [0, ∞) (finite)", options, "ModelBasedValueIterationOptions.LaplaceSmoothing");
        }
    }
}
