using System.Runtime.CompilerServices;

namespace RL3.Core.Randomness;

/// <summary>
/// The one source of randomness in RL3.Core: a seeded xoshiro256** generator whose complete state can be
/// saved and restored, and from which independent streams are derived deterministically.
/// </summary>
/// <remarks>
/// Generator: Blackman &amp; Vigna, "Scrambled linear pseudorandom number generators" (xoshiro256**),
/// seeded through SplitMix64. The output sequence is fixed by this file and does not depend on the .NET
/// version, the operating system or the thread count. Instances are not thread-safe: give each thread,
/// environment slot or sampler its own stream with <see cref="Derive(ulong, ulong)"/> or <see cref="Fork"/>.
/// </remarks>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator from a 64-bit seed (every seed, including 0, is valid).</summary>
    /// <param name="seed">The seed.</param>
    public RandomSource(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private RandomSource(RandomSourceState state)
    {
        SetState(state);
    }

    /// <summary>Creates the generator of stream <paramref name="streamId"/> under <paramref name="seed"/>.</summary>
    /// <remarks>Streams of different ids (or seeds) are statistically independent; the same pair always gives the same stream.</remarks>
    /// <param name="seed">The root seed.</param>
    /// <param name="streamId">The stream's id (for example an environment slot or a task index).</param>
    /// <returns>A new generator.</returns>
    public static RandomSource Derive(ulong seed, ulong streamId) => new(DeriveSeed(seed, streamId));

    /// <summary>Mixes a seed and a stream id into a new 64-bit seed (the seed used by <see cref="Derive(ulong, ulong)"/>).</summary>
    /// <param name="seed">The root seed.</param>
    /// <param name="streamId">The stream id.</param>
    /// <returns>The derived seed.</returns>
    public static ulong DeriveSeed(ulong seed, ulong streamId)
    {
        ulong x = seed ^ 0x6A09E667F3BCC909UL;
        ulong a = SplitMix64(ref x);
        ulong y = streamId ^ a ^ 0xBB67AE8584CAA73BUL;
        ulong b = SplitMix64(ref y);
        return a ^ Rotl(b, 17);
    }

    /// <summary>Creates a generator that continues from a saved state.</summary>
    /// <param name="state">A state obtained from <see cref="GetState"/>.</param>
    /// <returns>A new generator.</returns>
    /// <exception cref="ArgumentException">The state is all zeros (not a valid xoshiro state).</exception>
    public static RandomSource FromState(RandomSourceState state) => new(state);

    /// <summary>Returns the complete generator state.</summary>
    /// <returns>The state.</returns>
    public RandomSourceState GetState() => new(_s0, _s1, _s2, _s3);

    /// <summary>Restores a state obtained from <see cref="GetState"/>.</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state is all zeros.</exception>
    public void SetState(RandomSourceState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("A xoshiro256** state must not be all zeros.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
    }

    /// <summary>Splits off an independent generator, advancing this one by one draw.</summary>
    /// <returns>A new generator.</returns>
    public RandomSource Fork() => new(DeriveSeed(NextUInt64(), 0x9E3779B97F4A7C15UL));

    /// <summary>Returns 64 uniformly random bits.</summary>
    /// <returns>The next value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = Rotl(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = Rotl(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The next value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform float in [0, 1) with 24 random bits.</summary>
    /// <returns>The next value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Returns a uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias (Lemire's method).</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be at least 1.</param>
    /// <returns>The next value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is less than 1.</exception>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive < 1)
        {
            ThrowMaxExclusive(maxExclusive);
        }

        ulong range = (ulong)maxExclusive;
        UInt128 m = (UInt128)NextUInt64() * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * range;
                low = (ulong)m;
            }
        }

        return (int)(ulong)(m >> 64);
    }

    /// <summary>Returns a uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    /// <param name="minInclusive">The inclusive lower bound.</param>
    /// <param name="maxExclusive">The exclusive upper bound; must exceed <paramref name="minInclusive"/>.</param>
    /// <returns>The next value.</returns>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"maxExclusive must be greater than minInclusive ({minInclusive}).");
        }

        return minInclusive + NextInt(maxExclusive - minInclusive);
    }

    /// <summary>Returns a standard normal sample (Box–Muller; consumes exactly two uniform draws).</summary>
    /// <returns>The next value.</returns>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Returns a normal sample with the given mean and standard deviation.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="standardDeviation">The standard deviation (≥ 0).</param>
    /// <returns>The next value.</returns>
    public double NextGaussian(double mean, double standardDeviation) => mean + standardDeviation * NextGaussian();

    /// <summary>Returns a Gamma(<paramref name="shape"/>, 1) sample (Marsaglia–Tsang, with the shape &lt; 1 boost).</summary>
    /// <param name="shape">The shape parameter; must be positive and finite.</param>
    /// <returns>The next value.</returns>
    public double NextGamma(double shape)
    {
        if (!(shape > 0) || double.IsInfinity(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "shape must be positive and finite.");
        }

        if (shape < 1)
        {
            double boost = Math.Pow(1.0 - NextDouble(), 1.0 / shape);
            return NextGamma(shape + 1.0) * boost;
        }

        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1.0 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            double u = 1.0 - NextDouble();
            if (u < 1.0 - 0.0331 * (x * x) * (x * x) || Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>Returns a Beta(<paramref name="a"/>, <paramref name="b"/>) sample.</summary>
    /// <param name="a">First shape parameter (&gt; 0).</param>
    /// <param name="b">Second shape parameter (&gt; 0).</param>
    /// <returns>The next value.</returns>
    public double NextBeta(double a, double b)
    {
        double x = NextGamma(a);
        double y = NextGamma(b);
        return x / (x + y);
    }

    /// <summary>Fills <paramref name="destination"/> with a symmetric Dirichlet(α·1) sample.</summary>
    /// <param name="alpha">The concentration (&gt; 0).</param>
    /// <param name="destination">Receives the probabilities (sums to 1).</param>
    public void NextDirichlet(double alpha, Span<double> destination)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("destination must not be empty.", nameof(destination));
        }

        double sum = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGamma(alpha);
            sum += destination[i];
        }

        NormaliseOrOneHot(destination, sum);
    }

    /// <summary>Fills <paramref name="destination"/> with a Dirichlet(<paramref name="alphas"/>) sample.</summary>
    /// <param name="alphas">The concentrations (each &gt; 0).</param>
    /// <param name="destination">Receives the probabilities; same length as <paramref name="alphas"/>.</param>
    public void NextDirichlet(ReadOnlySpan<double> alphas, Span<double> destination)
    {
        if (alphas.Length != destination.Length || alphas.IsEmpty)
        {
            throw new ArgumentException($"destination length ({destination.Length}) must equal alphas length ({alphas.Length}) and be at least 1.", nameof(destination));
        }

        double sum = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGamma(alphas[i]);
            sum += destination[i];
        }

        NormaliseOrOneHot(destination, sum);
    }

    private void NormaliseOrOneHot(Span<double> destination, double sum)
    {
        if (sum > 0 && double.IsFinite(sum))
        {
            double inv = 1.0 / sum;
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] *= inv;
            }

            return;
        }

        // Every Gamma draw underflowed (tiny alpha): the limit of the Dirichlet is a uniformly chosen vertex.
        destination.Clear();
        destination[NextInt(destination.Length)] = 1.0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void ThrowMaxExclusive(int value) =>
        throw new ArgumentOutOfRangeException("maxExclusive", value, "maxExclusive must be at least 1.");
}
