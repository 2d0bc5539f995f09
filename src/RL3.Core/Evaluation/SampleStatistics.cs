using System.Globalization;
using MathNet.Numerics.Distributions;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>
/// The statistics every evaluation reports (computed with MathNet.Numerics): Student-t 95 % intervals, the paired
/// t-test, the Wilcoxon signed-rank test and, for skewed samples, a bootstrap percentile 95 % interval.
/// </summary>
/// <remarks>
/// <para><b>Student-t interval</b>: mean ± t(0.975, n − 1) · s / √n, s the sample standard deviation (divisor n − 1).</para>
/// <para><b>Paired t-test</b>: t = mean(d) / (s(d) / √n) on the per-task differences d, df = n − 1, two-sided
/// p = 2 · F_t(−|t|; n − 1).</para>
/// <para><b>Wilcoxon signed-rank</b>, normal approximation (as scipy's <c>wilcoxon(d, zero_method="wilcox",
/// correction=False, method="approx")</c>): differences that are exactly 0 are dropped (Wilcoxon's rule), the
/// remaining n_r are ranked by |d| with tied magnitudes sharing their average rank, W⁺ is the rank sum of the positive
/// differences, z = (W⁺ − n_r(n_r + 1)/4) / σ with σ² = n_r(n_r + 1)(2n_r + 1)/24 − Σ(t³ − t)/48 over tie groups of size t,
/// no continuity correction, two-sided p = 2 · Φ(−|z|). z is positive when the method is above its baseline.</para>
/// <para><b>Bootstrap percentile interval</b>: <see cref="BootstrapResamples"/> resamples of n values drawn with
/// replacement by <c>new RandomSource(</c><see cref="BootstrapSeed"/><c>)</c>; the bounds are the 2.5 % and 97.5 %
/// quantiles of the resample means (linear interpolation between order statistics, numpy's default). It is reported
/// when the caller asks for it (the CLI does for grid-world families) or when |G1| &gt; <see cref="SkewnessThreshold"/>
/// (<see cref="IsSkewed"/>), where the Student-t interval's symmetry assumption is weakest.</para>
/// </remarks>
public static class SampleStatistics
{
    /// <summary>Number of bootstrap resamples.</summary>
    public const int BootstrapResamples = 10_000;

    /// <summary>Seed of the bootstrap's random stream (fixed, so reports are reproducible).</summary>
    public const ulong BootstrapSeed = 20_240_915;

    /// <summary>|skewness| above which a sample counts as skewed and gets a bootstrap interval.</summary>
    public const double SkewnessThreshold = 1.0;

    /// <summary>Name of the paired t-test in reports.</summary>
    public const string TTestName = "paired t-test";

    /// <summary>Name of the Wilcoxon signed-rank test in reports.</summary>
    public const string WilcoxonName = "Wilcoxon signed-rank";

    private const double Level = 0.95;

    /// <summary>The one rule deciding whether a sample is skewed enough for a bootstrap interval: |G1| &gt; <see cref="SkewnessThreshold"/>.</summary>
    /// <param name="skewness">The sample skewness G1 (NaN counts as not skewed).</param>
    /// <returns>True when a bootstrap interval should be reported.</returns>
    public static bool IsSkewed(double skewness) => Math.Abs(skewness) > SkewnessThreshold;

    /// <summary>Mean, standard error, skewness, Student-t interval and (when skewed or asked for) the bootstrap interval of <paramref name="values"/>.</summary>
    /// <param name="values">The sample (at least one value).</param>
    /// <param name="alwaysBootstrap">Compute the bootstrap interval even when the sample is not skewed.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static SampleSummary Summarize(ReadOnlySpan<double> values, bool alwaysBootstrap = false)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("values must hold at least one value.", nameof(values));
        }

        var (mean, se) = Statistics.MeanAndStandardError(values);
        double skewness = values.Length < 3 ? double.NaN : MathNet.Numerics.Statistics.Statistics.Skewness(values.ToArray());
        var interval = StudentTInterval(mean, se, values.Length);
        var bootstrap = alwaysBootstrap || IsSkewed(skewness) ? BootstrapPercentileInterval(values) : null;
        return new SampleSummary(values.Length, mean, se, skewness, interval, bootstrap);
    }

    /// <summary>The 95 % Student-t interval mean ± t(0.975, n − 1) · <paramref name="standardError"/>.</summary>
    /// <param name="mean">Sample mean.</param>
    /// <param name="standardError">Standard error of the mean.</param>
    /// <param name="count">Sample size n (NaN bounds when n &lt; 2).</param>
    /// <returns>The interval.</returns>
    public static ConfidenceInterval StudentTInterval(double mean, double standardError, int count)
    {
        string method = string.Create(CultureInfo.InvariantCulture, $"Student-t, df = {Math.Max(count - 1, 0)}");
        if (count < 2 || !double.IsFinite(standardError))
        {
            return new ConfidenceInterval(double.NaN, double.NaN, method);
        }

        double half = StudentT.InvCDF(0, 1, count - 1, 0.5 + (Level / 2)) * standardError;
        return new ConfidenceInterval(mean - half, mean + half, method);
    }

    /// <summary>The two-sided paired t-test of mean(<paramref name="differences"/>) = 0.</summary>
    /// <param name="differences">Per-task differences (method − baseline).</param>
    /// <returns>t, its two-sided p-value and df = n − 1 (NaN when n &lt; 2 or every difference is equal to 0).</returns>
    public static HypothesisTest PairedTTest(ReadOnlySpan<double> differences)
    {
        int n = differences.Length;
        string method = string.Create(CultureInfo.InvariantCulture, $"two-sided, df = {Math.Max(n - 1, 0)}");
        if (n < 2)
        {
            return new HypothesisTest(TTestName, "t", double.NaN, double.NaN, method);
        }

        var (mean, se) = Statistics.MeanAndStandardError(differences);
        double t = mean / se;
        double p = double.IsNaN(t) ? double.NaN : Math.Min(1, 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t)));
        return new HypothesisTest(TTestName, "t", t, p, method);
    }

    /// <summary>The two-sided Wilcoxon signed-rank test of <paramref name="differences"/> (normal approximation; see the remarks of <see cref="SampleStatistics"/>).</summary>
    /// <param name="differences">Per-task differences (method − baseline).</param>
    /// <returns>z, its two-sided p-value and the number of non-zero differences (NaN when none is non-zero).</returns>
    public static HypothesisTest WilcoxonSignedRank(ReadOnlySpan<double> differences)
    {
        var magnitudes = new List<(double Magnitude, bool Positive)>(differences.Length);
        foreach (double d in differences)
        {
            if (d != 0)
            {
                magnitudes.Add((Math.Abs(d), d > 0));
            }
        }

        int n = magnitudes.Count;
        string method = string.Create(CultureInfo.InvariantCulture, $"two-sided, normal approximation, {n} non-zero of {differences.Length} differences (zeros dropped), average ranks for ties, tie-corrected variance, no continuity correction");
        if (n == 0)
        {
            return new HypothesisTest(WilcoxonName, "z", double.NaN, double.NaN, method);
        }

        magnitudes.Sort((a, b) => a.Magnitude.CompareTo(b.Magnitude));
        double positiveRankSum = 0;
        double tieTerm = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && magnitudes[end].Magnitude == magnitudes[start].Magnitude)
            {
                end++;
            }

            double t = end - start;
            double averageRank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                if (magnitudes[i].Positive)
                {
                    positiveRankSum += averageRank;
                }
            }

            tieTerm += (t * t * t) - t;
            start = end;
        }

        double expected = n * (n + 1.0) / 4;
        double variance = (n * (n + 1.0) * ((2.0 * n) + 1) / 24) - (tieTerm / 48);
        double z = variance > 0 ? (positiveRankSum - expected) / Math.Sqrt(variance) : double.NaN;
        double p = double.IsNaN(z) ? double.NaN : Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new HypothesisTest(WilcoxonName, "z", z, p, method);
    }

    /// <summary>The 95 % bootstrap percentile interval of the mean of <paramref name="values"/> (see the remarks of <see cref="SampleStatistics"/>).</summary>
    /// <param name="values">The sample (at least one value).</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static ConfidenceInterval BootstrapPercentileInterval(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("values must hold at least one value.", nameof(values));
        }

        int n = values.Length;
        var random = new RandomSource(BootstrapSeed);
        var means = new double[BootstrapResamples];
        for (int b = 0; b < means.Length; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += values[random.NextInt(n)];
            }

            means[b] = sum / n;
        }

        Array.Sort(means);
        double tail = (1 - Level) / 2;
        return new ConfidenceInterval(
            Quantile(means, tail),
            Quantile(means, 1 - tail),
            string.Create(CultureInfo.InvariantCulture, $"bootstrap percentile, {BootstrapResamples} resamples, seed {BootstrapSeed}"));
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolating linearly between order statistics (numpy's default, R type 7).</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int low = (int)Math.Floor(h);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((h - low) * (sorted[high] - sorted[low]));
    }
}
