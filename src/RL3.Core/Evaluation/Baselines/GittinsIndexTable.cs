namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// The finite-horizon Gittins index of a Bernoulli arm with a Beta prior, for every posterior (successes s,
/// failures f) and number of remaining pulls r with s + f + r ≤ H. Immutable and thread-safe once computed.
/// </summary>
/// <remarks>
/// <para>
/// <b>Definition (calibration).</b> For an arm with posterior Beta(α₀ + s, β₀ + f) and r pulls left, let the
/// player choose between retiring for good, earning a known λ per remaining pull, and pulling the arm once more
/// (then choosing again). The index λ*(s, f, r) is the λ at which retiring now (value rλ) and continuing optimally
/// are indifferent. With one pull left it is the posterior mean; it grows with r (more time to use what is learned).
/// Equivalently (Gittins' reward-rate form) λ* = max over stopping times 1 ≤ τ ≤ r of
/// E[rewards of the first τ pulls] / E[τ].
/// </para>
/// <para>
/// <b>Method.</b> Indices are computed for r = 1, 2, …, H. For r ≥ 2 the ratio form is maximised by Dinkelbach's
/// iteration: start from λ₀ = λ*(s, f, r − 1) (the rate of a rule that is feasible with r pulls too); given λ_k the
/// best stopping rule continues at a descendant posterior y iff λ*(y) &gt; λ_k (the descendants' indices are already
/// known, because they have fewer pulls left), one backward pass over the r(r−1)/2 descendants gives the rule's
/// expected reward N and expected number of pulls D, and λ_{k+1} = N / D. The sequence increases and reaches the
/// index exactly; it stops as soon as no descendant index lies in (λ_k, λ_{k+1}] (the rule would not change), so
/// typically after one or two passes and with no bisection tolerance.
/// </para>
/// <para>
/// <b>Cost.</b> Memory: about H³/6 doubles (1.4 MB for H = 100). Time: Σ_r (H−r)²/2 · r²/2 ≈ H⁵/120 descendant
/// updates per Dinkelbach pass — about 10⁸ for H = 100 (well under a second on one core), growing as H⁵
/// (H = 200: ~30 s, H = 500: hours). Rows of equal r are computed in parallel; results do not depend on the
/// thread count. <see cref="GittinsIndexAgentFactory"/> caches one table per horizon.
/// </para>
/// </remarks>
public sealed class GittinsIndexTable
{
    /// <summary>The largest supported horizon.</summary>
    public const int MaxHorizon = 1000;

    private readonly double[] _index;
    private readonly long[] _offsets;

    private GittinsIndexTable(int horizon, double priorSuccesses, double priorFailures, double[] index, long[] offsets)
    {
        Horizon = horizon;
        PriorSuccesses = priorSuccesses;
        PriorFailures = priorFailures;
        _index = index;
        _offsets = offsets;
    }

    /// <summary>The horizon H the table covers: every (s, f, r) with r ≥ 1 and s + f + r ≤ H.</summary>
    public int Horizon { get; }

    /// <summary>α₀ of the Beta prior.</summary>
    public double PriorSuccesses { get; }

    /// <summary>β₀ of the Beta prior.</summary>
    public double PriorFailures { get; }

    /// <summary>Computes the table for horizon <paramref name="horizon"/> (see the remarks for the method and its cost).</summary>
    /// <param name="horizon">H, in [1, <see cref="MaxHorizon"/>].</param>
    /// <param name="priorSuccesses">α₀ &gt; 0 (default 1: uniform prior).</param>
    /// <param name="priorFailures">β₀ &gt; 0 (default 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads; −1 for all cores, 1 for sequential. Results are identical for any value.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public static GittinsIndexTable Compute(int horizon, double priorSuccesses = 1.0, double priorFailures = 1.0, int maxDegreeOfParallelism = -1)
    {
        if (horizon < 1 || horizon > MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"horizon must be in [1, {MaxHorizon}].");
        }

        BetaPrior.Validate(priorSuccesses, nameof(priorSuccesses));
        BetaPrior.Validate(priorFailures, nameof(priorFailures));
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "maxDegreeOfParallelism must be −1 (all cores) or at least 1.");
        }

        int h = horizon;
        var offsets = new long[h + 2];
        long total = 0;
        for (int r = 1; r <= h; r++)
        {
            offsets[r] = total;
            long m = h - r;
            total += (m + 1) * (m + 2) / 2;
        }

        offsets[h + 1] = total;
        var index = new double[total];
        double a0 = priorSuccesses, b0 = priorFailures;

        // r = 1: the posterior mean.
        for (int n = 0; n <= h - 1; n++)
        {
            for (int s = 0; s <= n; s++)
            {
                index[offsets[1] + Triangle(n) + s] = (a0 + s) / (a0 + b0 + n);
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        for (int r = 2; r <= h; r++)
        {
            int rr = r;
            int maxN = h - r;
            if (maxDegreeOfParallelism == 1 || maxN < 4)
            {
                var scratch = new Scratch(h);
                for (int n = 0; n <= maxN; n++)
                {
                    ComputeRow(index, offsets, a0, b0, rr, n, scratch);
                }
            }
            else
            {
                Parallel.For(0, maxN + 1, options, () => new Scratch(h), (n, _, scratch) =>
                {
                    ComputeRow(index, offsets, a0, b0, rr, n, scratch);
                    return scratch;
                }, _ => { });
            }
        }

        return new GittinsIndexTable(h, a0, b0, index, offsets);
    }

    /// <summary>The index λ*(s, f, r).</summary>
    /// <param name="successes">s ≥ 0.</param>
    /// <param name="failures">f ≥ 0.</param>
    /// <param name="remainingPulls">r ≥ 1, the pulls left including the one about to be made.</param>
    /// <returns>The index, in [posterior mean, 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The triple is outside the table (s, f ≥ 0, r ≥ 1, s + f + r ≤ H).</exception>
    public double GetIndex(int successes, int failures, int remainingPulls)
    {
        if (successes < 0 || failures < 0 || remainingPulls < 1 || (long)successes + failures + remainingPulls > Horizon)
        {
            ThrowOutside(successes, failures, remainingPulls);
        }

        return _index[_offsets[remainingPulls] + Triangle(successes + failures) + successes];
    }

    private static long Triangle(long n) => n * (n + 1) / 2;

    private static void ComputeRow(double[] index, long[] offsets, double a0, double b0, int r, int n, Scratch scratch)
    {
        for (int s = 0; s <= n; s++)
        {
            index[offsets[r] + Triangle(n) + s] = Dinkelbach(index, offsets, a0, b0, r, n, s, scratch);
        }
    }

    // The index of (s, n − s, r) given all indices with fewer remaining pulls.
    private static double Dinkelbach(double[] index, long[] offsets, double a0, double b0, int r, int n, int s, Scratch scratch)
    {
        double[] bufN = scratch.N;
        double[] bufD = scratch.D;
        double p = (a0 + s) / (a0 + b0 + n);

        // Start from λ*(s, f, r − 1): the reward rate of a stopping rule that is also feasible with r pulls, so ≤ λ*(s, f, r).
        double lambda = index[offsets[r - 1] + Triangle(n) + s];
        for (int iteration = 0; iteration < 200; iteration++)
        {
            // Layer at depth r (no pulls left): zero reward, zero pulls.
            Array.Clear(bufN, 0, r + 1);
            Array.Clear(bufD, 0, r + 1);
            double nextBreakpoint = double.PositiveInfinity; // smallest descendant index above λ
            for (int d = r - 1; d >= 1; d--)
            {
                int nn = n + d;
                long baseIndex = offsets[r - d] + Triangle(nn) + s;
                double denominator = 1.0 / (a0 + b0 + nn);
                for (int i = 0; i <= d; i++)
                {
                    double descendant = index[baseIndex + i];
                    if (descendant > lambda)
                    {
                        nextBreakpoint = Math.Min(nextBreakpoint, descendant);
                        double py = (a0 + s + i) * denominator;
                        bufN[i] = py * (1.0 + bufN[i + 1]) + (1.0 - py) * bufN[i];
                        bufD[i] = 1.0 + py * bufD[i + 1] + (1.0 - py) * bufD[i];
                    }
                    else
                    {
                        bufN[i] = 0.0;
                        bufD[i] = 0.0;
                    }
                }
            }

            double rewards = p * (1.0 + bufN[1]) + (1.0 - p) * bufN[0];
            double pulls = 1.0 + p * bufD[1] + (1.0 - p) * bufD[0];
            double next = rewards / pulls;
            if (!(next > lambda))
            {
                break;
            }

            lambda = next;

            // The best rule at the new λ is the same rule unless a descendant index lies in (old λ, new λ]:
            // then its ratio, the new λ, is already the optimum and another pass would only confirm it.
            if (nextBreakpoint > lambda)
            {
                break;
            }
        }

        return lambda;
    }

    private static void ThrowOutside(int s, int f, int r) =>
        throw new ArgumentOutOfRangeException("remainingPulls", $"(successes={s}, failures={f}, remainingPulls={r}) is outside the table: need s, f ≥ 0, r ≥ 1 and s + f + r ≤ H (the table's horizon).");

    private sealed class Scratch(int horizon)
    {
        public double[] N { get; } = new double[horizon + 2];

        public double[] D { get; } = new double[horizon + 2];
    }
}
