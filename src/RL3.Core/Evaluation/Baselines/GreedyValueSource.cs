namespace RL3.Core.Evaluation.Baselines;

/// <summary>Where the (ε-)greedy baseline reads its action values from (always through the RL³ observation's inner block).</summary>
public enum GreedyValueSource
{
    /// <summary>
    /// The RL³ inner estimator: model-based Q-value iteration on the learned tabular model (docs/method.md §3), with the
    /// options RL³ uses for the family. Applies to every family (discrete states indexed directly, continuous
    /// observations by exact match).
    /// </summary>
    ModelBasedValueIteration = 0,

    /// <summary>The Beta(1, 1) posterior mean of each arm: the classic greedy bandit baseline. Bernoulli bandits only.</summary>
    BetaPosteriorMean = 1,
}
