namespace RL3.Core.Evaluation;

/// <summary>The paired difference of two methods evaluated on the same tasks with the same random streams.</summary>
/// <param name="Method">The method.</param>
/// <param name="Baseline">The method it is compared with.</param>
/// <param name="Differences">Summary of the per-task differences (return of <paramref name="Method"/> − return of <paramref name="Baseline"/>): mean, standard error, Student-t interval, bootstrap interval when skewed.</param>
/// <param name="TTest">The paired t-test of mean difference = 0.</param>
/// <param name="Wilcoxon">The Wilcoxon signed-rank test of the differences (normal approximation).</param>
public sealed record PairedDifference(string Method, string Baseline, SampleSummary Differences, HypothesisTest TTest, HypothesisTest Wilcoxon)
{
    /// <summary>Mean over tasks of (return of <see cref="Method"/> − return of <see cref="Baseline"/>).</summary>
    public double MeanDifference => Differences.Mean;

    /// <summary>Standard error of the per-task differences (NaN when M = 1).</summary>
    public double StandardError => Differences.StandardError;

    /// <summary>M.</summary>
    public int TaskCount => Differences.Count;

    /// <summary>Compares per-task returns <paramref name="methodReturns"/> with <paramref name="baselineReturns"/> (same tasks, same order).</summary>
    /// <param name="method">Name of the method.</param>
    /// <param name="baseline">Name of the baseline.</param>
    /// <param name="methodReturns">The method's per-task returns.</param>
    /// <param name="baselineReturns">The baseline's per-task returns, paired task by task.</param>
    /// <param name="alwaysBootstrap">Compute the bootstrap interval even when the differences are not skewed.</param>
    /// <returns>The paired difference with both tests.</returns>
    /// <exception cref="ArgumentException">The spans are empty or differ in length.</exception>
    public static PairedDifference Of(string method, string baseline, ReadOnlySpan<double> methodReturns, ReadOnlySpan<double> baselineReturns, bool alwaysBootstrap = false)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(baseline);
        if (methodReturns.Length != baselineReturns.Length || methodReturns.IsEmpty)
        {
            throw new ArgumentException($"methodReturns and baselineReturns must be non-empty and paired (lengths {methodReturns.Length} and {baselineReturns.Length}).", nameof(baselineReturns));
        }

        var differences = new double[methodReturns.Length];
        for (int i = 0; i < differences.Length; i++)
        {
            differences[i] = methodReturns[i] - baselineReturns[i];
        }

        return new PairedDifference(
            method,
            baseline,
            SampleStatistics.Summarize(differences, alwaysBootstrap),
            SampleStatistics.PairedTTest(differences),
            SampleStatistics.WilcoxonSignedRank(differences));
    }
}
