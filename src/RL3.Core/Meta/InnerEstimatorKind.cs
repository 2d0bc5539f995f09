namespace RL3.Core.Meta;

/// <summary>Which built-in inner estimator an RL³ meta-environment runs (<see cref="InnerEstimatorOptions.Estimator"/>).</summary>
public enum InnerEstimatorKind
{
    /// <summary>Model-based value iteration (<see cref="Inner.ModelBasedValueIteration"/>), the paper's estimator.</summary>
    ValueIteration,

    /// <summary>Tabular Q-learning (<see cref="Inner.TabularQLearning"/>).</summary>
    QLearning,
}
