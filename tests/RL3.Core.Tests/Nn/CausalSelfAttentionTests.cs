using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class CausalSelfAttentionTests
{
    [Test]
    public void Backward_MatchesFiniteDifferences()
    {
        var rng = new RandomSource(21);
        using var attention = new CausalSelfAttention(8, 2, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 2, 6, 8);
        FiniteDifferences.CheckModule(attention, x, attention.Forward, seed: 22, samples: 30);
    }

    [Test]
    public void Backward_SeveralQueryBlocks_MatchesFiniteDifferences()
    {
        // 70 steps span two 64-row query blocks.
        var rng = new RandomSource(23);
        using var attention = new CausalSelfAttention(4, 2, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, 1, 70, 4);
        FiniteDifferences.CheckModule(attention, x, attention.Forward, seed: 24, samples: 16);
    }

    [Test]
    public void Forward_EqualsNaiveCausalAttention([Values(20, 70)] int T)
    {
        // 20 steps use the direct per-row kernels, 70 the blocked GEMM path.
        var rng = new RandomSource(25);
        const int B = 2, D = 8, H = 2, Dh = 4;
        using var attention = new CausalSelfAttention(D, H, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 1f, B, T, D);
        var y = attention.Forward(x).Span.ToArray();
        var wqkv = attention.QkvProjection.Weight.Value.Span.ToArray();
        var wo = attention.OutputProjection.Weight.Value.Span.ToArray();
        for (int b = 0; b < B; b++)
        {
            var qkv = new double[T, 3 * D];
            for (int t = 0; t < T; t++)
            {
                for (int c = 0; c < 3 * D; c++)
                {
                    double s = 0;
                    for (int i = 0; i < D; i++)
                    {
                        s += x.Span[(((b * T) + t) * D) + i] * (double)wqkv[(i * 3 * D) + c];
                    }

                    qkv[t, c] = s;
                }
            }

            for (int t = 0; t < T; t++)
            {
                var ctx = new double[D];
                for (int h = 0; h < H; h++)
                {
                    var p = new double[t + 1];
                    double max = double.NegativeInfinity;
                    for (int j = 0; j <= t; j++)
                    {
                        double s = 0;
                        for (int c = 0; c < Dh; c++)
                        {
                            s += qkv[t, (h * Dh) + c] * qkv[j, D + (h * Dh) + c];
                        }

                        p[j] = s / Math.Sqrt(Dh);
                        max = Math.Max(max, p[j]);
                    }

                    double z = 0;
                    for (int j = 0; j <= t; j++)
                    {
                        p[j] = Math.Exp(p[j] - max);
                        z += p[j];
                    }

                    for (int j = 0; j <= t; j++)
                    {
                        for (int c = 0; c < Dh; c++)
                        {
                            ctx[(h * Dh) + c] += p[j] / z * qkv[j, (2 * D) + (h * Dh) + c];
                        }
                    }
                }

                for (int o = 0; o < D; o++)
                {
                    double s = 0;
                    for (int i = 0; i < D; i++)
                    {
                        s += ctx[i] * wo[(i * D) + o];
                    }

                    Assert.That(y[(((b * T) + t) * D) + o], Is.EqualTo(s).Within(1e-4), $"b={b} t={t} o={o}");
                }
            }
        }
    }

    [Test]
    public void Step_SlotsAtDifferentPositions_EqualFullForward()
    {
        var rng = new RandomSource(27);
        const int D = 16, T = 20;
        using var attention = new CausalSelfAttention(D, 4, rng);
        using var seq = FiniteDifferences.RandomTensor(rng, 1f, 3, T, D);
        var full = attention.Forward(seq).Span.ToArray();

        // Slot s starts s·3 steps late, so the slots are at different positions at every call.
        var cache = new AttentionCache(3, T, D);
        using var token = new NnTensor(3, D);
        var positions = new int[3];
        for (int step = 0; step < T + 6; step++)
        {
            for (int s = 0; s < 3; s++)
            {
                positions[s] = Math.Clamp(step - (3 * s), 0, T - 1);
                seq.Span.Slice(((s * T) + positions[s]) * D, D).CopyTo(token.Span.Slice(s * D, D));
            }

            var y = attention.Step(token, cache, positions).Span;
            for (int s = 0; s < 3; s++)
            {
                if (step - (3 * s) < 0 || step - (3 * s) >= T)
                {
                    continue;
                }

                for (int o = 0; o < D; o++)
                {
                    Assert.That(y[(s * D) + o], Is.EqualTo(full[(((s * T) + positions[s]) * D) + o]).Within(2e-5f), $"slot {s} position {positions[s]}");
                }
            }
        }
    }

    [Test]
    public void ForwardBackward_Parallel_BitIdenticalToSerial([Values(30, 80)] int time)
    {
        float[] Run(int threads, out float[] grad)
        {
            var rng = new RandomSource(31);
            using var attention = new CausalSelfAttention(16, 4, rng) { MaxDegreeOfParallelism = threads };
            using var x = FiniteDifferences.RandomTensor(rng, 1f, 3, time, 16);
            var y = attention.Forward(x).Span.ToArray();
            using var dy = FiniteDifferences.RandomTensor(rng, 1f, 3, time, 16);
            attention.Backward(dy);
            grad = attention.QkvProjection.Weight.Gradient.Span.ToArray();
            return y;
        }

        var serial = Run(1, out var g1);
        var parallel = Run(4, out var g4);
        Assert.That(parallel, Is.EqualTo(serial));
        Assert.That(g4, Is.EqualTo(g1));
    }

    [Test]
    public void Step_PositionBeyondCache_ThrowsNamingPositions()
    {
        using var attention = new CausalSelfAttention(8, 2, new RandomSource(1));
        var cache = new AttentionCache(1, 4, 8);
        using var x = new NnTensor(1, 8);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => attention.Step(x, cache, [4]));
        Assert.That(e!.ParamName, Is.EqualTo("positions"));
    }
}
