namespace RL3.Core.Meta;

/// <summary>Which meta-learner's inputs a meta-environment produces.</summary>
public enum MetaAlgorithm
{
    /// <summary>RL²: no inner estimator; the policy sees the task observation only.</summary>
    Rl2 = 0,

    /// <summary>RL³: model-based Q-value iteration inside; exact states (direct index or exact match).</summary>
    Rl3 = 1,

    /// <summary>RL³-coarse: as RL³, with continuous observations clustered by radius (docs/method.md §3).</summary>
    Rl3Coarse = 2,

    /// <summary>RL³ with tabular Q-learning as the inner estimator instead of value iteration.</summary>
    Rl3QLearning = 3,
}
