using RL3.Core.Randomness;
using RL3.Core.Training.Shards;

namespace RL3.Core.Tests.Training.Shards;

/// <summary><see cref="ShardMoments"/>: shards' moments combine into the moments of the union.</summary>
public sealed class ShardMomentsTests
{
    [Test]
    public void Combine_OnePart_IsThatPartBitForBit()
    {
        var random = new RandomSource(3);
        var values = Enumerable.Range(0, 101).Select(_ => (float)(random.NextDouble() * 10 - 3)).ToArray();
        var part = ShardMoments.Of(values);
        Assert.That(ShardMoments.Combine([part]), Is.EqualTo(part));
    }

    [TestCase(new[] { 50, 51 })]
    [TestCase(new[] { 1, 0, 99, 1 })]
    [TestCase(new[] { 34, 33, 34 })]
    public void Combine_Parts_EqualsTheTwoPassMomentsOfTheUnion(int[] sizes)
    {
        var random = new RandomSource(5);
        var values = Enumerable.Range(0, sizes.Sum()).Select(_ => (float)(random.NextDouble() * 100 + 1e3)).ToArray();
        var parts = new List<ShardMoments>();
        int offset = 0;
        foreach (int size in sizes)
        {
            parts.Add(ShardMoments.Of(values.AsSpan(offset, size)));
            offset += size;
        }

        var combined = ShardMoments.Combine([.. parts]);
        double mean = values.Average(v => (double)v);
        double squares = values.Sum(v => (v - mean) * (v - mean));
        Assert.That(combined.Count, Is.EqualTo(values.Length));
        Assert.That(combined.Mean, Is.EqualTo(mean).Within(1e-12 * mean));
        Assert.That(combined.SquaredDeviations, Is.EqualTo(squares).Within(1e-9 * squares));
    }

    [Test]
    public void Combine_NoParts_Throws() =>
        Assert.That(() => ShardMoments.Combine([]), Throws.ArgumentException);
}
