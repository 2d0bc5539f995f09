using RL3.Core.Evaluation;

namespace RL3.Core.Tests.Evaluation;

/// <summary>
/// <see cref="SampleStatistics"/> against values computed independently with scipy 1.10.1 / numpy 1.24.2 (Debian 12's
/// python3-scipy). The bootstrap is checked against a Python re-implementation of RandomSource (xoshiro256** seeded by
/// SplitMix64, Lemire's bounded integers) and numpy's percentile, so it tests the resampling and the quantile rule.
/// </summary>
/// <remarks>
/// The script (run with /usr/bin/python3):
/// <code>
/// import numpy as np
/// from scipy import stats
/// M = (1 &lt;&lt; 64) - 1
/// def splitmix(x):
///     x = (x + 0x9E3779B97F4A7C15) &amp; M
///     z = x
///     z = ((z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9) &amp; M
///     z = ((z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB) &amp; M
///     return x, z ^ (z &gt;&gt; 31)
/// def rotl(x, k): return ((x &lt;&lt; k) | (x &gt;&gt; (64 - k))) &amp; M
/// class Xoshiro:
///     def __init__(self, seed):
///         x = seed; self.s = []
///         for _ in range(4):
///             x, v = splitmix(x); self.s.append(v)
///     def next(self):
///         s0, s1, s2, s3 = self.s
///         r = (rotl((s1 * 5) &amp; M, 7) * 9) &amp; M
///         t = (s1 &lt;&lt; 17) &amp; M
///         s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
///         self.s = [s0, s1, s2, s3]
///         return r
///     def nextint(self, n):  # Lemire
///         m = self.next() * n; low = m &amp; M
///         if low &lt; n:
///             th = ((1 &lt;&lt; 64) - n) % n
///             while low &lt; th:
///                 m = self.next() * n; low = m &amp; M
///         return m &gt;&gt; 64
/// def bootstrap(values, B=10000, seed=20240915):
///     r = Xoshiro(seed); n = len(values); means = []
///     for _ in range(B):
///         s = 0.0
///         for _ in range(n): s += values[r.nextint(n)]
///         means.append(s / n)
///     return np.percentile(means, [2.5, 97.5])  # linear interpolation (numpy default)
/// 
/// d = np.array([1.5, -0.5, 2.0, 0.0, 3.0, 2.0, -1.0, 0.5, 2.5, 1.0, 0.0, -0.5])
/// n = len(d); m = d.mean(); se = d.std(ddof=1) / np.sqrt(n)
/// print("mean", repr(m), "se", repr(se))
/// print("t-interval", repr(m - stats.t.ppf(0.975, n - 1) * se), repr(m + stats.t.ppf(0.975, n - 1) * se))
/// print("ttest", stats.ttest_1samp(d, 0.0))
/// w = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")
/// print("wilcoxon", w, "z", getattr(w, "zstatistic", None))
/// print("skew", repr(stats.skew(d, bias=False)))
/// print("bootstrap", [repr(x) for x in bootstrap(list(d))])
/// # A right-skewed sample (grid-world-like returns: most at the floor, a few far above)
/// g = np.array([-250.0] * 9 + [-240.0, -230.0, 100.0, 400.0, 900.0])
/// print("g skew", repr(stats.skew(g, bias=False)), "mean", repr(g.mean()))
/// print("g bootstrap", [repr(x) for x in bootstrap(list(g))])
/// # Large-n tiny p: d2 = i % 7 - 1 for i in 0..999
/// d2 = np.array([(i % 7) - 1.0 for i in range(1000)])
/// print("d2 ttest", stats.ttest_1samp(d2, 0.0))
/// w2 = stats.wilcoxon(d2, zero_method="wilcox", correction=False, method="approx")
/// print("d2 wilcoxon", w2, "z", getattr(w2, "zstatistic", None))
/// </code>
/// Its output:
/// <code>
/// mean 0.875 se 0.38001694539570047
/// t-interval 0.038588342604011006 1.711411657395989
/// ttest TtestResult(statistic=2.302528901938539, pvalue=0.041845325399334735, df=11)
/// wilcoxon WilcoxonResult(statistic=8.5, pvalue=0.05186541479146726) z -1.944249138367273
/// skew 0.1815658232702498
/// bootstrap ['0.16666666666666666', '1.5833333333333333']
/// g skew 2.384982581294498 mean -94.28571428571429
/// g bootstrap ['-246.42857142857142', '104.28571428571429']
/// d2 ttest TtestResult(statistic=31.579329618368483, pvalue=2.3849718218395986e-152, df=999)
/// d2 wilcoxon WilcoxonResult(statistic=20520.5, pvalue=6.0091856150299e-114) z -22.687084022415252
/// </code>
/// scipy reports the Wilcoxon statistic as min(W⁺, W⁻) and so a negative z; ours is signed by W⁺ (positive when the
/// method is above its baseline), so the tests compare |z| and p.
/// </remarks>
public sealed class SampleStatisticsTests
{
    private static readonly double[] Differences = [1.5, -0.5, 2.0, 0.0, 3.0, 2.0, -1.0, 0.5, 2.5, 1.0, 0.0, -0.5];

    private static double[] Skewed => [.. Enumerable.Repeat(-250.0, 9), -240.0, -230.0, 100.0, 400.0, 900.0];

    private static double[] LargeSample => [.. Enumerable.Range(0, 1000).Select(i => (i % 7) - 1.0)];

    [Test]
    public void Summarize_SmallSample_MatchesScipy()
    {
        var summary = SampleStatistics.Summarize(Differences);

        Assert.That(summary.Count, Is.EqualTo(12));
        Assert.That(summary.Mean, Is.EqualTo(0.875).Within(1e-15));
        Assert.That(summary.StandardError, Is.EqualTo(0.38001694539570047).Within(1e-14));
        Assert.That(summary.StudentT.Low, Is.EqualTo(0.038588342604011006).Within(1e-9));
        Assert.That(summary.StudentT.High, Is.EqualTo(1.711411657395989).Within(1e-9));
        Assert.That(summary.StudentT.Method, Is.EqualTo("Student-t, df = 11"));
        Assert.That(summary.StudentT.ExcludesZero, Is.True);
        Assert.That(summary.Skewness, Is.EqualTo(0.1815658232702498).Within(1e-12));
        Assert.That(summary.Bootstrap, Is.Null, "|G1| = 0.18 is below the threshold: no bootstrap interval");
    }

    [Test]
    public void PairedTTest_SmallAndLargeSamples_MatchScipy()
    {
        var small = SampleStatistics.PairedTTest(Differences);
        Assert.That(small.Name, Is.EqualTo("paired t-test"));
        Assert.That(small.StatisticName, Is.EqualTo("t"));
        Assert.That(small.Statistic, Is.EqualTo(2.302528901938539).Within(1e-12));
        Assert.That(small.PValue, Is.EqualTo(0.041845325399334735).Within(1e-10));
        Assert.That(small.Method, Is.EqualTo("two-sided, df = 11"));

        var large = SampleStatistics.PairedTTest(LargeSample);
        Assert.That(large.Statistic, Is.EqualTo(31.579329618368483).Within(1e-10));
        Assert.That(large.PValue, Is.EqualTo(2.3849718218395986e-152).Within(1e-6 * 2.3849718218395986e-152));
    }

    [Test]
    public void WilcoxonSignedRank_ZerosAndTies_MatchScipyNormalApproximation()
    {
        var small = SampleStatistics.WilcoxonSignedRank(Differences);
        Assert.That(small.Name, Is.EqualTo("Wilcoxon signed-rank"));
        Assert.That(small.StatisticName, Is.EqualTo("z"));
        Assert.That(small.Statistic, Is.EqualTo(1.944249138367273).Within(1e-12), "positive: most differences are above 0");
        Assert.That(small.PValue, Is.EqualTo(0.05186541479146726).Within(1e-12));
        Assert.That(small.Method, Does.StartWith("two-sided, normal approximation, 10 non-zero of 12 differences (zeros dropped)"));

        var large = SampleStatistics.WilcoxonSignedRank(LargeSample);
        Assert.That(large.Statistic, Is.EqualTo(22.687084022415252).Within(1e-10));
        Assert.That(large.PValue, Is.EqualTo(6.0091856150299e-114).Within(1e-6 * 6.0091856150299e-114));
    }

    [Test]
    public void WilcoxonSignedRank_ByHand_FourDifferences()
    {
        // d = [1, -2, 3, 3]: ranks of |d| = 1, 2, 3.5, 3.5 (the two 3s tie); W+ = 1 + 3.5 + 3.5 = 8; E = 4·5/4 = 5;
        // σ² = 4·5·9/24 − (2³ − 2)/48 = 7.5 − 0.125 = 7.375; z = 3/√7.375 = 1.10469...; p = 2Φ(−z) = 0.2692941367197367 (scipy.stats.norm.cdf)
        var test = SampleStatistics.WilcoxonSignedRank([1.0, -2.0, 3.0, 3.0]);
        Assert.That(test.Statistic, Is.EqualTo(3 / Math.Sqrt(7.375)).Within(1e-14));
        Assert.That(test.PValue, Is.EqualTo(0.2692941367197367).Within(1e-12));
    }

    [Test]
    public void BootstrapPercentileInterval_MatchesPythonReimplementation()
    {
        var symmetric = SampleStatistics.BootstrapPercentileInterval(Differences);
        Assert.That(symmetric.Low, Is.EqualTo(0.16666666666666666).Within(1e-12));
        Assert.That(symmetric.High, Is.EqualTo(1.5833333333333333).Within(1e-12));
        Assert.That(symmetric.Method, Is.EqualTo("bootstrap percentile, 10000 resamples, seed 20240915"));

        var skewed = SampleStatistics.Summarize(Skewed);
        Assert.That(skewed.Skewness, Is.EqualTo(2.384982581294498).Within(1e-12));
        Assert.That(skewed.Bootstrap, Is.Not.Null, "|G1| = 2.38 > 1: the bootstrap interval is reported");
        Assert.That(skewed.Bootstrap!.Low, Is.EqualTo(-246.42857142857142).Within(1e-9));
        Assert.That(skewed.Bootstrap.High, Is.EqualTo(104.28571428571429).Within(1e-9));
    }

    [Test]
    public void Summarize_AlwaysBootstrap_AddsTheIntervalAndIsDeterministic()
    {
        var first = SampleStatistics.Summarize(Differences, alwaysBootstrap: true);
        var second = SampleStatistics.Summarize(Differences, alwaysBootstrap: true);
        Assert.That(first.Bootstrap, Is.Not.Null);
        Assert.That(second.Bootstrap, Is.EqualTo(first.Bootstrap));
    }

    [Test]
    public void Degenerate_Samples_GiveNaNNotExceptions()
    {
        var one = SampleStatistics.Summarize([3.0]);
        Assert.That(one.Mean, Is.EqualTo(3.0));
        Assert.That(double.IsNaN(one.StudentT.Low) && double.IsNaN(one.Skewness), Is.True);
        var zeros = new double[5];
        Assert.That(double.IsNaN(SampleStatistics.WilcoxonSignedRank(zeros).PValue), Is.True);
        Assert.That(double.IsNaN(SampleStatistics.PairedTTest(zeros).PValue), Is.True);
        Assert.That(() => SampleStatistics.Summarize([]), Throws.ArgumentException);
    }

    [Test]
    public void PairedDifference_Of_UsesTheDifferencesOfPairedReturns()
    {
        double[] baseline = [.. Enumerable.Range(0, 12).Select(i => 10.0 * i)];
        double[] method = [.. baseline.Select((b, i) => b + Differences[i])];

        var d = PairedDifference.Of("RL³", "RL²", method, baseline);

        Assert.That(d.MeanDifference, Is.EqualTo(0.875).Within(1e-12));
        Assert.That(d.TaskCount, Is.EqualTo(12));
        Assert.That(d.TTest.PValue, Is.EqualTo(0.041845325399334735).Within(1e-9));
        Assert.That(d.Wilcoxon.PValue, Is.EqualTo(0.05186541479146726).Within(1e-9));
        Assert.That(() => PairedDifference.Of("a", "b", method, baseline.AsSpan(1)), Throws.ArgumentException);
    }
}
