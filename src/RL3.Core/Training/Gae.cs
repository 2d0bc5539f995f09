namespace RL3.Core.Training;

/// <summary>Generalised advantage estimation (Schulman et al. 2016, arXiv 1506.02438), in place over caller buffers.</summary>
/// <remarks>
/// For one sequence of T steps with critic values V(s_1) … V(s_{T+1}):
/// <code>
/// δ_t = r_t + γ (1 − term_t) V(s_{t+1}) − V(s_t)
/// A_t = δ_t + γ λ (1 − term_t) A_{t+1},   A_{T+1} = 0
/// R_t = A_t + V(s_t)                       (the critic's target)
/// </code>
/// In RL² / RL³ meta-training (docs/method.md §6) a meta-episode is one sequence and <c>term</c> is raised only at
/// t = T (= H): task-episode boundaries inside the meta-episode are not terminations.
/// </remarks>
public static class Gae
{
    /// <summary>Computes advantages and returns for one sequence.</summary>
    /// <param name="rewards">r_1 … r_T.</param>
    /// <param name="values">V(s_1) … V(s_{T+1}) (length T + 1).</param>
    /// <param name="terminals">term_1 … term_T: whether s_{t+1} is terminal (no bootstrap).</param>
    /// <param name="gamma">Discount γ in [0, 1].</param>
    /// <param name="lambda">GAE λ in [0, 1].</param>
    /// <param name="advantages">Receives A_1 … A_T.</param>
    /// <param name="returns">Receives R_t = A_t + V(s_t).</param>
    public static void Compute(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminals,
        double gamma,
        double lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        int length = rewards.Length;
        if (values.Length != length + 1)
        {
            throw new ArgumentException($"values must have length rewards.Length + 1 = {length + 1}; was {values.Length}.", nameof(values));
        }

        if (terminals.Length != length || advantages.Length != length || returns.Length != length)
        {
            throw new ArgumentException($"terminals, advantages and returns must have length rewards.Length = {length}.", nameof(advantages));
        }

        if (!(gamma >= 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        }

        if (!(lambda >= 0 && lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1].");
        }

        double next = 0;
        for (int t = length - 1; t >= 0; t--)
        {
            double notTerminal = terminals[t] ? 0.0 : 1.0;
            double delta = rewards[t] + gamma * notTerminal * values[t + 1] - values[t];
            next = delta + gamma * lambda * notTerminal * next;
            advantages[t] = (float)next;
            returns[t] = (float)(next + values[t]);
        }
    }
}
