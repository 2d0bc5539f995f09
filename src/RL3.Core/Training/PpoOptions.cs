using RL3.Core.Training.Shards;

namespace RL3.Core.Training;

/// <summary>
/// Every knob of PPO meta-training (docs/method.md §6), with the paper's defaults for bandits and random MDPs.
/// Validated when a trainer is constructed (<see cref="Validate(int)"/>).
/// </summary>
public sealed class PpoOptions
{
    /// <summary>
    /// Steps per iteration (N·H). Default 32 000 (paper: 32 000–33 600). Must be a multiple of the environment's
    /// interaction budget H (checked by <see cref="Validate(int)"/> when the trainer is built).
    /// </summary>
    public int BatchSteps { get; set; } = 32_000;

    /// <summary>Whole sequences per minibatch (≥ 1, ≤ N). Default 32 (3 200 steps at H = 100).</summary>
    public int MinibatchSequences { get; set; } = 32;

    /// <summary>Maximum PPO epochs per iteration (≥ 1). Default 8.</summary>
    public int Epochs { get; set; } = 8;

    /// <summary>Clip range ε of the probability ratio (in (0, 1)). Default 0.2.</summary>
    public double ClipEpsilon { get; set; } = 0.2;

    /// <summary>
    /// After each epoch, if KL(π_old‖π) (measured as <see cref="KlEarlyStop"/> says) reaches this value the actor stops
    /// updating for the iteration (the critic continues). Default 0.01; <see cref="double.PositiveInfinity"/> disables the check.
    /// </summary>
    public double TargetKl { get; set; } = 0.01;

    /// <summary>
    /// How the KL for <see cref="TargetKl"/> is measured and in which order minibatches run: today's
    /// <see cref="Training.KlEarlyStop.MinibatchEstimates"/> (the default; reshuffled minibatches, per-minibatch estimates before
    /// each update) or the authors' <see cref="Training.KlEarlyStop.ExactFullBatch"/> (fixed order, exact KL over the whole batch
    /// after each epoch; the paper presets use it).
    /// </summary>
    public KlEarlyStop KlEarlyStop { get; set; } = KlEarlyStop.MinibatchEstimates;

    /// <summary>Discount γ in [0, 1]. Default 0.99.</summary>
    public double Gamma { get; set; } = 0.99;

    /// <summary>GAE λ in [0, 1]. Default 0.3.</summary>
    public double GaeLambda { get; set; } = 0.3;

    /// <summary>Initial entropy coefficient (≥ 0). Default 0.1 (0.04 for grid worlds).</summary>
    public double EntropyCoefficient { get; set; } = 0.1;

    /// <summary>Entropy coefficient at the end of training when decaying linearly (≥ 0). Default 0.</summary>
    public double FinalEntropyCoefficient { get; set; }

    /// <summary>Whether the entropy coefficient decays linearly to <see cref="FinalEntropyCoefficient"/> over <see cref="Iterations"/>. Default true (false for grid worlds).</summary>
    public bool DecayEntropyCoefficient { get; set; } = true;

    /// <summary>Weight of the critic loss in the total loss (≥ 0). Default 0.5.</summary>
    public double ValueLossCoefficient { get; set; } = 0.5;

    /// <summary>Adam learning rate (&gt; 0). Default 3e-4 (2e-4 for grid worlds).</summary>
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>Whether the learning rate decays linearly to 0 over <see cref="Iterations"/>. Default false.</summary>
    public bool DecayLearningRate { get; set; }

    /// <summary>Adam β1 in [0, 1). Default 0.9.</summary>
    public double AdamBeta1 { get; set; } = 0.9;

    /// <summary>Adam β2 in [0, 1). Default 0.999.</summary>
    public double AdamBeta2 { get; set; } = 0.999;

    /// <summary>Adam ε (&gt; 0). Default 1e-7.</summary>
    public double AdamEpsilon { get; set; } = 1e-7;

    /// <summary>Critic weight decay (coupled, added to the gradient as in the reference critic; ≥ 0). Default 0.01.</summary>
    public double CriticWeightDecay { get; set; } = 0.01;

    /// <summary>Global gradient-norm clip (&gt; 0), or null for no clipping (the default).</summary>
    public double? MaxGradientNorm { get; set; }

    /// <summary>Whether advantages are normalised per minibatch (mean 0, std 1). Default true.</summary>
    public bool NormalizeAdvantages { get; set; } = true;

    /// <summary>Number of PPO iterations to train (≥ 1). Default 1000.</summary>
    public int Iterations { get; set; } = 1000;

    /// <summary>The root seed of every random stream of a run. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>
    /// S, the number of logical shards an iteration is divided into (docs/distributed.md): each owns N/S environment
    /// slots and M/S sequences of every minibatch, and the learner sums the shards' partial gradients in shard order.
    /// Default 1 (the single-process arithmetic). Results are a deterministic function of the seed and S, whether the
    /// shards run in one process or on several; S must divide both N = <see cref="BatchSteps"/> / H and
    /// <see cref="MinibatchSequences"/> (checked by <see cref="Validate(int)"/>).
    /// </summary>
    public int Shards { get; set; } = 1;

    /// <summary>Threads for rollouts and large GEMMs; −1 for all cores. Default −1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>The number of parallel meta-environments N = <see cref="BatchSteps"/> / H.</summary>
    /// <param name="interactionBudget">The environment's interaction budget H (≥ 1).</param>
    /// <returns>N (rounded down).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interactionBudget"/> is below 1.</exception>
    public int EnvironmentCount(int interactionBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interactionBudget, 1);
        return BatchSteps / interactionBudget;
    }

    /// <summary>
    /// Throws when an option is out of range or does not fit the environment's interaction budget H; the message names the
    /// option and its allowed range.
    /// </summary>
    /// <param name="interactionBudget">The environment's interaction budget H (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">Options do not fit H.</exception>
    public void Validate(int interactionBudget)
    {
        Validate();
        RequireAtLeast("interactionBudget", interactionBudget, 1);
        if (BatchSteps % interactionBudget != 0)
        {
            throw new ArgumentException($"BatchSteps ({BatchSteps}) must be a multiple of the interaction budget H ({interactionBudget}): every environment runs whole meta-episodes.", nameof(BatchSteps));
        }

        int n = BatchSteps / interactionBudget;
        if (MinibatchSequences > n)
        {
            throw new ArgumentException($"MinibatchSequences ({MinibatchSequences}) must not exceed the number of environments N = BatchSteps / H = {n}.", nameof(MinibatchSequences));
        }

        ShardLayout.Validate(n, MinibatchSequences, Shards, nameof(Shards));
    }

    /// <summary>Throws when an option is out of range; the message names the option and its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        RequireAtLeast(nameof(BatchSteps), BatchSteps, 1);
        RequireAtLeast(nameof(MinibatchSequences), MinibatchSequences, 1);
        RequireAtLeast(nameof(Epochs), Epochs, 1);
        RequireAtLeast(nameof(Iterations), Iterations, 1);
        RequireAtLeast(nameof(Shards), Shards, 1);
        RequireOpenUnit(nameof(ClipEpsilon), ClipEpsilon);
        if (!(TargetKl > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetKl), TargetKl, "TargetKl must be positive (PositiveInfinity disables the early stop).");
        }

        if (!Enum.IsDefined(KlEarlyStop))
        {
            throw new ArgumentOutOfRangeException(nameof(KlEarlyStop), KlEarlyStop, "KlEarlyStop must be MinibatchEstimates or ExactFullBatch.");
        }

        RequireClosedUnit(nameof(Gamma), Gamma);
        RequireClosedUnit(nameof(GaeLambda), GaeLambda);
        RequireNonNegative(nameof(EntropyCoefficient), EntropyCoefficient);
        RequireNonNegative(nameof(FinalEntropyCoefficient), FinalEntropyCoefficient);
        RequireNonNegative(nameof(ValueLossCoefficient), ValueLossCoefficient);
        RequirePositive(nameof(LearningRate), LearningRate);
        RequireHalfOpenUnit(nameof(AdamBeta1), AdamBeta1);
        RequireHalfOpenUnit(nameof(AdamBeta2), AdamBeta2);
        RequirePositive(nameof(AdamEpsilon), AdamEpsilon);
        RequireNonNegative(nameof(CriticWeightDecay), CriticWeightDecay);
        if (MaxGradientNorm is { } clip && !(clip > 0 && double.IsFinite(clip)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), clip, "MaxGradientNorm must be positive and finite, or null for no clipping.");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 (all cores) or at least 1.");
        }
    }

    /// <summary>The entropy coefficient for a given iteration (0-based), with the linear decay applied.</summary>
    /// <param name="iteration">The iteration index.</param>
    /// <returns>The coefficient.</returns>
    public double EntropyCoefficientAt(int iteration) =>
        DecayEntropyCoefficient ? Lerp(EntropyCoefficient, FinalEntropyCoefficient, iteration) : EntropyCoefficient;

    /// <summary>The learning rate for a given iteration (0-based), with the optional linear decay applied.</summary>
    /// <param name="iteration">The iteration index.</param>
    /// <returns>The learning rate.</returns>
    public double LearningRateAt(int iteration) =>
        DecayLearningRate ? Lerp(LearningRate, 0, iteration) : LearningRate;

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public PpoOptions Clone() => (PpoOptions)MemberwiseClone();

    private double Lerp(double start, double end, int iteration)
    {
        double progress = Iterations <= 1 ? 0 : Math.Clamp((double)iteration / Iterations, 0, 1);
        return start + (end - start) * progress;
    }

    private static void RequireAtLeast(string name, int value, int minimum)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
        }
    }

    private static void RequirePositive(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    private static void RequireNonNegative(string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ 0 and finite.");
        }
    }

    private static void RequireClosedUnit(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");
        }
    }

    private static void RequireHalfOpenUnit(string name, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }
    }

    private static void RequireOpenUnit(string name, double value)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1).");
        }
    }
}
