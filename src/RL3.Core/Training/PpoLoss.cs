namespace RL3.Core.Training;

/// <summary>
/// The clipped PPO objective (Schulman et al. 2017, arXiv 1707.06347) over one minibatch of tokens, and its
/// gradient with respect to each token's log-probability, entropy and value.
/// </summary>
/// <remarks>
/// With ρ_i = exp(log π(a_i|h_i) − log π_old(a_i|h_i)) and n tokens (docs/method.md §6):
/// <code>
/// L_actor  = −(1/n) Σ min(ρ_i A_i, clip(ρ_i, 1 − ε, 1 + ε) A_i)
/// L_critic =  (1/n) Σ (V_i − R_i)²,   R_i = V_old,i + A_i (fixed per iteration)
/// L        =  L_actor + c_v L_critic − c_ent (1/n) Σ H_i
/// ∂L/∂log π_i = −(1/n) ρ_i A_i   when the unclipped term is the minimum, else 0
/// ∂L/∂V_i     =  (2 c_v / n)(V_i − R_i)
/// ∂L/∂H_i     = −c_ent / n
/// </code>
/// A_i are the (optionally per-minibatch normalised) advantages.
/// </remarks>
public static class PpoLoss
{
    /// <summary>Computes the loss and writes the per-token gradients.</summary>
    /// <param name="logProbabilities">log π(a_i|h_i) under the current parameters.</param>
    /// <param name="oldLogProbabilities">log π_old(a_i|h_i) recorded during the rollout.</param>
    /// <param name="advantages">A_i (already normalised if normalisation is on).</param>
    /// <param name="entropies">H_i, the policy entropy at each token.</param>
    /// <param name="values">V_i under the current critic.</param>
    /// <param name="returns">R_i, the critic targets.</param>
    /// <param name="clipEpsilon">ε in (0, 1).</param>
    /// <param name="valueCoefficient">c_v ≥ 0.</param>
    /// <param name="entropyCoefficient">c_ent ≥ 0.</param>
    /// <param name="actorActive">False once the KL early stop froze the actor: the actor gradients are then zero.</param>
    /// <param name="gradLogProbabilities">Receives ∂L/∂log π_i.</param>
    /// <param name="gradEntropies">Receives ∂L/∂H_i.</param>
    /// <param name="gradValues">Receives ∂L/∂V_i.</param>
    /// <returns>The losses and diagnostics.</returns>
    public static PpoLossStatistics Compute(
        ReadOnlySpan<float> logProbabilities,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> entropies,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> returns,
        double clipEpsilon,
        double valueCoefficient,
        double entropyCoefficient,
        bool actorActive,
        Span<float> gradLogProbabilities,
        Span<float> gradEntropies,
        Span<float> gradValues)
    {
        int n = logProbabilities.Length;
        if (n == 0)
        {
            throw new ArgumentException("The minibatch must hold at least one token.", nameof(logProbabilities));
        }

        if (oldLogProbabilities.Length != n || advantages.Length != n || entropies.Length != n || values.Length != n || returns.Length != n
            || gradLogProbabilities.Length != n || gradEntropies.Length != n || gradValues.Length != n)
        {
            throw new ArgumentException($"Every span must have the minibatch's token count ({n}).", nameof(oldLogProbabilities));
        }

        if (!(clipEpsilon > 0 && clipEpsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(clipEpsilon), clipEpsilon, "clipEpsilon must be in (0, 1).");
        }

        double inverseN = 1.0 / n;
        double policySum = 0, valueSum = 0, entropySum = 0, klSum = 0;
        int clipped = 0;
        for (int i = 0; i < n; i++)
        {
            double logRatio = (double)logProbabilities[i] - oldLogProbabilities[i];
            double ratio = Math.Exp(logRatio);
            double advantage = advantages[i];
            double unclipped = ratio * advantage;
            double clippedRatio = Math.Clamp(ratio, 1 - clipEpsilon, 1 + clipEpsilon);
            double clippedTerm = clippedRatio * advantage;
            bool useUnclipped = unclipped <= clippedTerm;
            policySum += useUnclipped ? unclipped : clippedTerm;
            if (Math.Abs(ratio - 1) > clipEpsilon)
            {
                clipped++;
            }

            klSum += (ratio - 1) - logRatio;
            entropySum += entropies[i];
            double valueError = (double)values[i] - returns[i];
            valueSum += valueError * valueError;

            gradLogProbabilities[i] = actorActive && useUnclipped ? (float)(-unclipped * inverseN) : 0f;
            gradEntropies[i] = actorActive ? (float)(-entropyCoefficient * inverseN) : 0f;
            gradValues[i] = (float)(2 * valueCoefficient * valueError * inverseN);
        }

        double policyLoss = -policySum * inverseN;
        double valueLoss = valueSum * inverseN;
        double entropy = entropySum * inverseN;
        double total = valueCoefficient * valueLoss + (actorActive ? policyLoss - entropyCoefficient * entropy : 0);
        return new PpoLossStatistics(policyLoss, valueLoss, entropy, klSum * inverseN, clipped * inverseN, total);
    }

    /// <summary>Normalises advantages in place to mean 0 and standard deviation 1 (population std + 1e-8).</summary>
    /// <param name="advantages">The minibatch's advantages.</param>
    public static void NormalizeAdvantages(Span<float> advantages)
    {
        if (advantages.Length == 0)
        {
            return;
        }

        double mean = 0;
        foreach (float a in advantages)
        {
            mean += a;
        }

        mean /= advantages.Length;
        double variance = 0;
        foreach (float a in advantages)
        {
            variance += (a - mean) * (a - mean);
        }

        double inverseStd = 1.0 / (Math.Sqrt(variance / advantages.Length) + 1e-8);
        for (int i = 0; i < advantages.Length; i++)
        {
            advantages[i] = (float)((advantages[i] - mean) * inverseStd);
        }
    }
}
