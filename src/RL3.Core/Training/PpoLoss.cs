using RL3.Core.Training.Shards;

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
        var sums = Accumulate(
            logProbabilities, oldLogProbabilities, advantages, entropies, values, returns, logProbabilities.Length,
            clipEpsilon, valueCoefficient, entropyCoefficient, actorActive, gradLogProbabilities, gradEntropies, gradValues);
        double inverseN = 1.0 / sums.Tokens;
        double policyLoss = -sums.PolicySum * inverseN;
        double valueLoss = sums.ValueSum * inverseN;
        double entropy = sums.EntropySum * inverseN;
        double total = valueCoefficient * valueLoss + (actorActive ? policyLoss - entropyCoefficient * entropy : 0);
        return new PpoLossStatistics(policyLoss, valueLoss, entropy, sums.ApproxKlSum * inverseN, sums.ClippedCount * inverseN, total);
    }

    /// <summary>
    /// A shard's part of <see cref="Compute"/>: the loss terms' sums over this shard's tokens, and the per-token gradients
    /// of the <em>whole minibatch's</em> loss (each token weighted 1/<paramref name="minibatchTokens"/>), so the shards'
    /// parameter gradients add up to the minibatch's. <see cref="Compute"/> is this with one shard holding every token.
    /// </summary>
    /// <param name="logProbabilities">log π(a_i|h_i) under the current parameters (the shard's tokens).</param>
    /// <param name="oldLogProbabilities">log π_old(a_i|h_i) recorded during the rollout.</param>
    /// <param name="advantages">A_i (already normalised with the whole minibatch's statistics if normalisation is on).</param>
    /// <param name="entropies">H_i.</param>
    /// <param name="values">V_i under the current critic.</param>
    /// <param name="returns">R_i, the critic targets.</param>
    /// <param name="minibatchTokens">n, the whole minibatch's token count (≥ the shard's).</param>
    /// <param name="clipEpsilon">ε in (0, 1).</param>
    /// <param name="valueCoefficient">c_v ≥ 0.</param>
    /// <param name="entropyCoefficient">c_ent ≥ 0.</param>
    /// <param name="actorActive">False once the KL early stop froze the actor: the actor gradients are then zero.</param>
    /// <param name="gradLogProbabilities">Receives ∂L/∂log π_i.</param>
    /// <param name="gradEntropies">Receives ∂L/∂H_i.</param>
    /// <param name="gradValues">Receives ∂L/∂V_i.</param>
    /// <returns>The shard's sums (accumulated in double in token order).</returns>
    public static ShardLossSums Accumulate(
        ReadOnlySpan<float> logProbabilities,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> entropies,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> returns,
        int minibatchTokens,
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

        if (minibatchTokens < n)
        {
            throw new ArgumentOutOfRangeException(nameof(minibatchTokens), minibatchTokens, $"minibatchTokens must be at least the shard's token count ({n}).");
        }

        if (!(clipEpsilon > 0 && clipEpsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(clipEpsilon), clipEpsilon, "clipEpsilon must be in (0, 1).");
        }

        double inverseN = 1.0 / minibatchTokens;
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

        return new ShardLossSums(n, policySum, valueSum, entropySum, klSum, clipped);
    }

    /// <summary>Normalises advantages in place to mean 0 and standard deviation 1 (population std + 1e-8).</summary>
    /// <param name="advantages">The minibatch's advantages.</param>
    public static void NormalizeAdvantages(Span<float> advantages)
    {
        if (advantages.Length == 0)
        {
            return;
        }

        var moments = ShardMoments.Of(advantages);
        NormalizeAdvantages(advantages, moments.Mean, AdvantageInverseStd(moments));
    }

    /// <summary>1 / (√variance + 1e-8) of a minibatch's advantage moments (population variance).</summary>
    /// <param name="moments">The whole minibatch's moments (combined over shards).</param>
    /// <returns>The factor <see cref="NormalizeAdvantages(Span{float}, double, double)"/> multiplies by.</returns>
    public static double AdvantageInverseStd(ShardMoments moments) => 1.0 / (Math.Sqrt(moments.Variance) + 1e-8);

    /// <summary>Normalises a shard's part of a minibatch's advantages in place with the whole minibatch's statistics: A ← (A − mean)·inverseStd.</summary>
    /// <param name="advantages">The advantages.</param>
    /// <param name="mean">The minibatch's mean.</param>
    /// <param name="inverseStd">1 / (std + 1e-8) of the minibatch (<see cref="AdvantageInverseStd"/>).</param>
    public static void NormalizeAdvantages(Span<float> advantages, double mean, double inverseStd)
    {
        for (int i = 0; i < advantages.Length; i++)
        {
            advantages[i] = (float)((advantages[i] - mean) * inverseStd);
        }
    }
}
