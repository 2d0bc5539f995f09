using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class TransformerDecoderBlockTests
{
    [Test]
    public void Backward_MatchesFiniteDifferences()
    {
        var rng = new RandomSource(41);
        using var block = new TransformerDecoderBlock(8, 2, 12, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 2, 5, 8);
        FiniteDifferences.CheckModule(block, x, block.Forward, seed: 42, samples: 16);
    }

    [Test]
    public void Step_EqualsFullForward()
    {
        var rng = new RandomSource(43);
        const int D = 16, T = 9;
        using var block = new TransformerDecoderBlock(D, 4, 32, rng);
        using var seq = FiniteDifferences.RandomTensor(rng, 1f, 2, T, D);
        var full = block.Forward(seq).Span.ToArray();
        var cache = new AttentionCache(2, T, D);
        using var token = new NnTensor(2, D);
        for (int t = 0; t < T; t++)
        {
            for (int s = 0; s < 2; s++)
            {
                seq.Span.Slice(((s * T) + t) * D, D).CopyTo(token.Span.Slice(s * D, D));
            }

            var y = block.Step(token, cache, [t, t]).Span;
            for (int s = 0; s < 2; s++)
            {
                for (int o = 0; o < D; o++)
                {
                    Assert.That(y[(s * D) + o], Is.EqualTo(full[(((s * T) + t) * D) + o]).Within(5e-5f));
                }
            }
        }
    }
}
