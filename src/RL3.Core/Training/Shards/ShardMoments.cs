namespace RL3.Core.Training.Shards;

/// <summary>
/// One shard's partial moments of a sample: its count, its sum and its sum of squared deviations from its own mean.
/// The learner combines shards with <see cref="Combine"/> in shard order (Chan et al.'s pairwise update), so the
/// combined mean and variance are a deterministic function of the shards' data and of S; for one shard they are
/// bit-for-bit the two-pass mean and variance of the whole sample.
/// </summary>
/// <param name="Count">Values in the shard's part (≥ 0).</param>
/// <param name="Sum">Σ x, accumulated in double in the shard's order.</param>
/// <param name="SquaredDeviations">Σ (x − Sum/Count)², accumulated in double in the shard's order (0 when Count is 0).</param>
public readonly record struct ShardMoments(long Count, double Sum, double SquaredDeviations)
{
    /// <summary>Sum / Count (NaN when the count is 0).</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>The population variance SquaredDeviations / Count (NaN when the count is 0).</summary>
    public double Variance => Count == 0 ? double.NaN : SquaredDeviations / Count;

    /// <summary>The two-pass moments of <paramref name="values"/> in order: Σx, then Σ(x − mean)² with mean = Σx / n.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The moments.</returns>
    public static ShardMoments Of(ReadOnlySpan<float> values)
    {
        if (values.Length == 0)
        {
            return default;
        }

        double sum = 0;
        foreach (float x in values)
        {
            sum += x;
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (float x in values)
        {
            squares += (x - mean) * (x - mean);
        }

        return new ShardMoments(values.Length, sum, squares);
    }

    /// <summary>The two-pass moments of <paramref name="values"/> in order (see <see cref="Of(ReadOnlySpan{float})"/>).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The moments.</returns>
    public static ShardMoments Of(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            return default;
        }

        double sum = 0;
        foreach (double x in values)
        {
            sum += x;
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (double x in values)
        {
            squares += (x - mean) * (x - mean);
        }

        return new ShardMoments(values.Length, sum, squares);
    }

    /// <summary>
    /// Combines the shards' moments in the order given: Sum = Σ_s Sum_s (folded from the first),
    /// SquaredDeviations = Σ_s [SquaredDeviations_s + Count_s (mean_s − mean)²] with mean = Sum / Count.
    /// With one part the result is that part, bit for bit.
    /// </summary>
    /// <param name="parts">The shards' moments, in shard order (at least one).</param>
    /// <returns>The moments of the union.</returns>
    public static ShardMoments Combine(ReadOnlySpan<ShardMoments> parts)
    {
        if (parts.Length == 0)
        {
            throw new ArgumentException("parts must hold at least one shard's moments.", nameof(parts));
        }

        long count = parts[0].Count;
        double sum = parts[0].Sum;
        for (int s = 1; s < parts.Length; s++)
        {
            count += parts[s].Count;
            sum += parts[s].Sum;
        }

        if (count == 0)
        {
            return default;
        }

        double mean = sum / count;
        double squares = 0;
        for (int s = 0; s < parts.Length; s++)
        {
            var part = parts[s];
            if (part.Count == 0)
            {
                continue;
            }

            double offset = (part.Sum / part.Count) - mean;
            double term = part.SquaredDeviations + (part.Count * offset * offset);
            squares = s == 0 ? term : squares + term;
        }

        return new ShardMoments(count, sum, squares);
    }
}
