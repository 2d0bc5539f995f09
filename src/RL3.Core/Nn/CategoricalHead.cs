using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using RL3.Core.Randomness;

namespace RL3.Core.Nn;

/// <summary>
/// The categorical action head: span kernels that turn rows of logits into log-probabilities, entropies,
/// sampled or greedy actions, and back-propagate a loss written in terms of log-probabilities and entropies.
/// </summary>
/// <remarks>
/// <para>
/// With <c>p = softmax(z)</c> over one row of logits <c>z</c>: <c>log π(a) = z_a − logΣexp(z)</c> and
/// <c>H = −Σ_j p_j log p_j</c>. Their gradients are <c>∂log π(a)/∂z_j = δ_aj − p_j</c> and
/// <c>∂H/∂z_j = −p_j (log p_j + H)</c>, so a loss with per-row derivatives <c>g_logp</c> and
/// <c>g_H</c> gives <c>∂L/∂z_j = g_logp (δ_aj − p_j) − g_H p_j (log p_j + H)</c> (<see cref="Backward"/>).
/// </para>
/// <para>Every method works on row-major <c>[rows, actions]</c> spans and allocates nothing.</para>
/// </remarks>
public static class CategoricalHead
{
    /// <summary>
    /// For every row: the log-probability of the taken action and the entropy of the distribution.
    /// </summary>
    /// <param name="logits">The logits, <c>[rows, actions]</c>.</param>
    /// <param name="actions">The number of actions (row length, ≥ 1).</param>
    /// <param name="takenActions">The action of every row, each in [0, <paramref name="actions"/>).</param>
    /// <param name="logProbabilities">Receives <c>log π(a_r)</c> per row.</param>
    /// <param name="entropies">Receives <c>H_r</c> per row.</param>
    public static void Evaluate(ReadOnlySpan<float> logits, int actions, ReadOnlySpan<int> takenActions, Span<float> logProbabilities, Span<float> entropies)
    {
        int rows = CheckRows(logits.Length, actions, nameof(logits));
        CheckLength(takenActions.Length, rows, nameof(takenActions));
        CheckLength(logProbabilities.Length, rows, nameof(logProbabilities));
        CheckLength(entropies.Length, rows, nameof(entropies));
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * actions, actions);
            int a = takenActions[r];
            if ((uint)a >= (uint)actions)
            {
                ThrowAction(nameof(takenActions), r, a, actions);
            }

            float lse = LogSumExp(z);
            logProbabilities[r] = z[a] - lse;
            entropies[r] = Entropy(z, lse);
        }
    }

    /// <summary>
    /// Picks one action per row, by sampling from <c>softmax(z)</c> (inverse CDF with one uniform draw per row, rows in
    /// order) or greedily (arg-max, lowest index on ties), and writes its log-probability.
    /// </summary>
    /// <param name="logits">The logits, <c>[rows, actions]</c>.</param>
    /// <param name="actions">The number of actions (row length, ≥ 1).</param>
    /// <param name="random">The source of the uniform draws; <see langword="null"/> selects the greedy action.</param>
    /// <param name="chosenActions">Receives the action of every row.</param>
    /// <param name="logProbabilities">Receives <c>log π(a_r)</c> per row.</param>
    public static void Select(ReadOnlySpan<float> logits, int actions, RandomSource? random, Span<int> chosenActions, Span<float> logProbabilities)
    {
        int rows = CheckRows(logits.Length, actions, nameof(logits));
        CheckLength(chosenActions.Length, rows, nameof(chosenActions));
        CheckLength(logProbabilities.Length, rows, nameof(logProbabilities));
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * actions, actions);
            float lse = LogSumExp(z);
            int a = random is null ? TensorPrimitives.IndexOfMax(z) : SampleRow(z, lse, random.NextDouble());
            chosenActions[r] = a;
            logProbabilities[r] = z[a] - lse;
        }
    }

    /// <summary>
    /// Back-propagates per-row loss derivatives with respect to the taken action's log-probability and to the entropy
    /// into the logits: <c>∂L/∂z_j = g_logp (δ_aj − p_j) − g_H p_j (log p_j + H)</c>.
    /// </summary>
    /// <param name="logits">The logits of the forward pass, <c>[rows, actions]</c>.</param>
    /// <param name="actions">The number of actions (row length, ≥ 1).</param>
    /// <param name="takenActions">The action of every row.</param>
    /// <param name="logProbabilityGradients">∂L/∂log π(a_r) per row.</param>
    /// <param name="entropyGradients">∂L/∂H_r per row.</param>
    /// <param name="logitGradients">Receives ∂L/∂z (overwritten), <c>[rows, actions]</c>.</param>
    public static void Backward(
        ReadOnlySpan<float> logits, int actions, ReadOnlySpan<int> takenActions,
        ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, Span<float> logitGradients)
    {
        int rows = CheckRows(logits.Length, actions, nameof(logits));
        CheckLength(takenActions.Length, rows, nameof(takenActions));
        CheckLength(logProbabilityGradients.Length, rows, nameof(logProbabilityGradients));
        CheckLength(entropyGradients.Length, rows, nameof(entropyGradients));
        CheckLength(logitGradients.Length, logits.Length, nameof(logitGradients));
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * actions, actions);
            var dz = logitGradients.Slice(r * actions, actions);
            int a = takenActions[r];
            if ((uint)a >= (uint)actions)
            {
                ThrowAction(nameof(takenActions), r, a, actions);
            }

            float lse = LogSumExp(z);
            float h = Entropy(z, lse);
            float gl = logProbabilityGradients[r];
            float gh = entropyGradients[r];
            for (int j = 0; j < actions; j++)
            {
                float lp = z[j] - lse;
                float p = MathF.Exp(lp);
                dz[j] = (-gl * p) - (gh * p * (lp + h));
            }

            dz[a] += gl;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LogSumExp(ReadOnlySpan<float> z)
    {
        float max = TensorPrimitives.Max(z);
        float sum = 0f;
        for (int j = 0; j < z.Length; j++)
        {
            sum += MathF.Exp(z[j] - max);
        }

        return max + MathF.Log(sum);
    }

    private static float Entropy(ReadOnlySpan<float> z, float lse)
    {
        float h = 0f;
        for (int j = 0; j < z.Length; j++)
        {
            float lp = z[j] - lse;
            h -= MathF.Exp(lp) * lp;
        }

        return h;
    }

    private static int SampleRow(ReadOnlySpan<float> z, float lse, double u)
    {
        double cumulative = 0.0;
        int last = 0;
        for (int j = 0; j < z.Length; j++)
        {
            double p = Math.Exp(z[j] - lse);
            if (p > 0.0)
            {
                last = j;
            }

            cumulative += p;
            if (u < cumulative)
            {
                return j;
            }
        }

        // Rounding left the cumulative sum just below u: take the last action with positive probability.
        return last;
    }

    private static int CheckRows(int length, int actions, string name)
    {
        if (actions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), actions, "actions must be at least 1.");
        }

        if (length % actions != 0)
        {
            throw new ArgumentException($"{name} has {length} elements, which is not a whole number of rows of {actions} actions.", name);
        }

        return length / actions;
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual} but {expected} is required.", name);
        }
    }

    private static void ThrowAction(string name, int row, int action, int actions) =>
        throw new ArgumentOutOfRangeException(name, action, $"{name}[{row}] = {action} is not an action in [0, {actions}).");
}
