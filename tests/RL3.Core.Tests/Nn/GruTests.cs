using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class GruTests
{
    [Test]
    public void Backward_Sequence_MatchesFiniteDifferences()
    {
        var rng = new RandomSource(11);
        using var gru = new Gru(3, 5, rng);
        RandomiseBiases(gru, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 2, 6, 3);
        FiniteDifferences.CheckModule(gru, x, gru.Forward, seed: 12, samples: 30);
    }

    [Test]
    public void Step_FromZeroState_EqualsSequenceForward()
    {
        var rng = new RandomSource(3);
        using var gru = new Gru(4, 8, rng);
        RandomiseBiases(gru, rng);
        const int B = 3, T = 7;
        using var x = FiniteDifferences.RandomTensor(rng, 1f, B, T, 4);
        var full = gru.Forward(x).Span.ToArray();
        var hidden = new float[B * 8];
        var token = new float[B * 4];
        for (int t = 0; t < T; t++)
        {
            for (int b = 0; b < B; b++)
            {
                x.Span.Slice(((b * T) + t) * 4, 4).CopyTo(token.AsSpan(b * 4));
            }

            gru.Step(token, B, hidden);
            for (int b = 0; b < B; b++)
            {
                for (int j = 0; j < 8; j++)
                {
                    Assert.That(hidden[(b * 8) + j], Is.EqualTo(full[(((b * T) + t) * 8) + j]).Within(1e-6f), $"b={b} t={t} j={j}");
                }
            }
        }
    }

    [Test]
    public void Forward_Rank2Input_ThrowsNamingInput()
    {
        using var gru = new Gru(3, 4, new RandomSource(1));
        using var x = new NnTensor(5, 3);
        var e = Assert.Throws<ArgumentException>(() => gru.Forward(x));
        Assert.That(e!.ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void Step_WrongHiddenLength_ThrowsNamingHidden()
    {
        using var gru = new Gru(3, 4, new RandomSource(1));
        var e = Assert.Throws<ArgumentException>(() => gru.Step(new float[6], 2, new float[7]));
        Assert.That(e!.ParamName, Is.EqualTo("hidden"));
    }

    private static void RandomiseBiases(Gru gru, RandomSource rng)
    {
        foreach (var p in new[] { gru.InputBias, gru.HiddenBias })
        {
            var s = p.Value.Span;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = (float)(rng.NextDouble() - 0.5);
            }
        }
    }
}
