namespace RL3.Core.Evaluation;

/// <summary>Mean and standard error, summed in index order (so results do not depend on thread counts).</summary>
internal static class Statistics
{
    public static (double Mean, double StandardError) MeanAndStandardError(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n == 0)
        {
            return (double.NaN, double.NaN);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += values[i];
        }

        double mean = sum / n;
        if (n == 1)
        {
            return (mean, double.NaN);
        }

        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double d = values[i] - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / (n - 1) / n));
    }
}
