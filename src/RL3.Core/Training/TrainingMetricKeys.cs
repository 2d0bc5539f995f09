namespace RL3.Core.Training;

/// <summary>The stable, namespaced keys of the per-iteration training metrics (CSV columns, log fields and instrument names).</summary>
public static class TrainingMetricKeys
{
    /// <summary>The 0-based iteration index.</summary>
    public const string Iteration = "iteration";

    /// <summary>Environment steps taken so far.</summary>
    public const string TotalSteps = "charts/total_steps";

    /// <summary>Mean meta-episode return of the iteration's rollouts.</summary>
    public const string ReturnMean = "charts/return_mean";

    /// <summary>Standard deviation of the meta-episode returns.</summary>
    public const string ReturnStd = "charts/return_std";

    /// <summary>Mean clipped-surrogate policy loss of the last epoch.</summary>
    public const string PolicyLoss = "losses/policy";

    /// <summary>Mean critic loss of the last epoch.</summary>
    public const string ValueLoss = "losses/value";

    /// <summary>Mean policy entropy of the last epoch.</summary>
    public const string Entropy = "losses/entropy";

    /// <summary>Mean approximate KL(π_old‖π) after the last actor epoch.</summary>
    public const string ApproxKl = "losses/approx_kl";

    /// <summary>Fraction of clipped probability ratios in the last epoch.</summary>
    public const string ClipFraction = "losses/clip_fraction";

    /// <summary>Explained variance of the critic on the iteration's targets.</summary>
    public const string ExplainedVariance = "losses/explained_variance";

    /// <summary>Epochs the actor trained before the KL early stop.</summary>
    public const string ActorEpochs = "charts/actor_epochs";

    /// <summary>Environment steps per second over the whole iteration (rollout + update).</summary>
    public const string StepsPerSecond = "charts/steps_per_second";

    /// <summary>Seconds spent acting (rollout).</summary>
    public const string RolloutSeconds = "time/rollout_seconds";

    /// <summary>Seconds spent in the PPO update.</summary>
    public const string UpdateSeconds = "time/update_seconds";

    /// <summary>Learning rate used in the iteration.</summary>
    public const string LearningRate = "charts/learning_rate";

    /// <summary>Entropy coefficient used in the iteration.</summary>
    public const string EntropyCoefficient = "charts/entropy_coefficient";

    /// <summary>Mean return on held-out test tasks (periodic evaluation only).</summary>
    public const string EvaluationReturnMean = "eval/return_mean";

    /// <summary>Standard error of <see cref="EvaluationReturnMean"/>.</summary>
    public const string EvaluationReturnStandardError = "eval/return_standard_error";
}
