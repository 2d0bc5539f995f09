using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class PositionalEmbeddingTests
{
    [Test]
    public void Backward_MatchesFiniteDifferences()
    {
        var rng = new RandomSource(5);
        using var pe = new PositionalEmbedding(6, 4, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 3, 5, 4);
        FiniteDifferences.CheckModule(pe, x, pe.Forward, seed: 6, samples: 40);
    }

    [Test]
    public void ForwardAt_AddsTheRowOfEachPosition()
    {
        var rng = new RandomSource(5);
        using var pe = new PositionalEmbedding(6, 4, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 2, 4);
        var expected = x.Span.ToArray();
        int[] positions = [5, 2];
        var y = pe.ForwardAt(x, positions).Span.ToArray();
        for (int r = 0; r < 2; r++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.That(y[(r * 4) + j], Is.EqualTo(expected[(r * 4) + j] + pe.Table.Value[positions[r], j]));
            }
        }
    }

    [Test]
    public void Forward_LongerThanTable_ThrowsNamingInput()
    {
        using var pe = new PositionalEmbedding(3, 4, new RandomSource(1));
        using var x = new NnTensor(1, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => pe.Forward(x));
        Assert.That(e!.ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void ForwardAt_PositionOutsideTable_ThrowsNamingPositions()
    {
        using var pe = new PositionalEmbedding(3, 4, new RandomSource(1));
        using var x = new NnTensor(1, 4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pe.ForwardAt(x, [3]));
        Assert.That(e!.ParamName, Is.EqualTo("positions"));
    }
}
