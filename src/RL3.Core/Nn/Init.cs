using RL3.Core.Randomness;

namespace RL3.Core.Nn;

/// <summary>Parameter initialisers. All randomness comes from an injected <see cref="RandomSource"/>.</summary>
public static class Init
{
    /// <summary>
    /// Glorot (Xavier) uniform: every element drawn from U(−l, l) with <c>l = √(6 / (fanIn + fanOut))</c>
    /// (Glorot &amp; Bengio 2010; the Keras default for dense kernels). Elements are drawn in row-major order.
    /// </summary>
    /// <param name="values">The tensor elements to fill.</param>
    /// <param name="fanIn">Number of inputs of the layer (≥ 1).</param>
    /// <param name="fanOut">Number of outputs of the layer (≥ 1).</param>
    /// <param name="random">The random source.</param>
    public static void GlorotUniform(Span<float> values, int fanIn, int fanOut, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        ArgumentNullException.ThrowIfNull(random);
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * limit);
        }
    }

    /// <summary>Uniform U(<paramref name="low"/>, <paramref name="high"/>) in row-major order.</summary>
    /// <param name="values">The elements to fill.</param>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound (≥ <paramref name="low"/>).</param>
    /// <param name="random">The random source.</param>
    public static void Uniform(Span<float> values, float low, float high, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(high >= low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"high must be at least low ({low}).");
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(low + ((high - low) * random.NextDouble()));
        }
    }
}
