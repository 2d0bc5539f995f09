using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class AttentionKernelsTests
{
    private static readonly int[] Widths = [0, 256, 512];

    [Test]
    public void Scores_EveryVectorWidth_MatchesDoubleReference([Values(1, 7, 16, 33, 64, 70)] int count, [Values(8, 16)] int dh)
    {
        var rng = new RandomSource((ulong)((count * 100) + dh));
        int stride = (count + 15) & ~15;
        var q = Random(rng, dh);
        var keys = Random(rng, dh * stride);
        foreach (int width in Widths)
        {
            var scores = new float[stride];
            AttentionKernels.Scores(q, keys, stride, count, 0.25f, scores, width);
            for (int j = 0; j < count; j++)
            {
                double expected = 0;
                for (int c = 0; c < dh; c++)
                {
                    expected += (double)q[c] * keys[(c * stride) + j];
                }

                Assert.That(scores[j], Is.EqualTo(0.25 * expected).Within(1e-5), $"width {width}, position {j}");
            }
        }
    }

    [Test]
    public void WeightedSum_EveryVectorWidth_MatchesDoubleReference([Values(1, 3, 4, 9, 65)] int count, [Values(8, 16, 20)] int dh)
    {
        var rng = new RandomSource((ulong)((count * 100) + dh));
        const int RowStride = 48;
        var p = Random(rng, count);
        var values = Random(rng, count * RowStride);
        foreach (int width in Widths)
        {
            var output = new float[dh];
            AttentionKernels.WeightedSum(p, values, RowStride, count, output, width);
            for (int c = 0; c < dh; c++)
            {
                double expected = 0;
                for (int j = 0; j < count; j++)
                {
                    expected += (double)p[j] * values[(j * RowStride) + c];
                }

                Assert.That(output[c], Is.EqualTo(expected).Within(1e-5), $"width {width}, column {c}");
            }
        }
    }

    [Test]
    public void KeyValueGradients_EqualRowByRowFusedMultiplyAdds([Values(1, 5, 64)] int count, [Values(8, 12, 16, 20)] int dh)
    {
        // Reference: the row-by-row form of the backward pass, ∂K_j = fma(scale·∂S_ij, Q_i, ∂K_j) for i = 0, 1, … and
        // j ≤ i, from zero. The kernel sums each row in registers instead and must give the same floats.
        var rng = new RandomSource((ulong)((count * 100) + dh));
        const int GradientStride = 40, QueryStride = 36, ContextStride = 24;
        const float Scale = 0.25f;
        int matrixStride = count + 3;
        var ds = Random(rng, count * matrixStride);
        var p = Random(rng, count * matrixStride);
        var q = Random(rng, count * QueryStride);
        var dA = Random(rng, count * ContextStride);
        var dk = Random(rng, count * GradientStride);
        var dv = Random(rng, count * GradientStride);
        var expectedK = (float[])dk.Clone();
        var expectedV = (float[])dv.Clone();
        for (int j = 0; j < count; j++)
        {
            Array.Clear(expectedK, j * GradientStride, dh);
            Array.Clear(expectedV, j * GradientStride, dh);
        }

        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                for (int c = 0; c < dh; c++)
                {
                    int at = (j * GradientStride) + c;
                    expectedK[at] = MathF.FusedMultiplyAdd(Scale * ds[(i * matrixStride) + j], q[(i * QueryStride) + c], expectedK[at]);
                    expectedV[at] = MathF.FusedMultiplyAdd(p[(i * matrixStride) + j], dA[(i * ContextStride) + c], expectedV[at]);
                }
            }
        }

        AttentionKernels.KeyValueGradients(ds, p, matrixStride, count, Scale, q, QueryStride, dA, ContextStride, dk, dv, GradientStride, dh);

        Assert.That(dk, Is.EqualTo(expectedK), "key gradients (bit for bit, other columns untouched)");
        Assert.That(dv, Is.EqualTo(expectedV), "value gradients (bit for bit, other columns untouched)");
    }

    [Test]
    public void KeyValueGradients_ShortBuffer_ThrowsBeforeWriting()
    {
        var dk = new float[(2 * 40) + 15];
        var dv = new float[3 * 40];
        var ex = Assert.Throws<ArgumentException>(() =>
            AttentionKernels.KeyValueGradients(new float[9], new float[9], 3, 3, 1f, new float[48], 16, new float[48], 16, dk, dv, 40, 16));
        Assert.That(ex!.ParamName, Is.EqualTo("keyGradients"));
        Assert.That(dk, Is.All.Zero);
        Assert.That(dv, Is.All.Zero);
    }

    [Test]
    public void Softmax_LargeScores_StayFiniteAndSumToOne()
    {
        float[] x = [1000f, 999f, -1000f, 998f];
        AttentionKernels.Softmax(x);
        Assert.That(x, Is.All.Not.NaN);
        Assert.That(x.Sum(), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(x[0], Is.EqualTo(1 / (1 + Math.Exp(-1) + Math.Exp(-2))).Within(1e-6));
        Assert.That(x[2], Is.Zero);
    }

    [Test]
    public void Step_LargeActivations_StayFinite()
    {
        var rng = new RandomSource(3);
        using var attention = new RL3.Core.Nn.Modules.CausalSelfAttention(8, 2, rng);
        using var x = FiniteDifferences.RandomTensor(rng, 300f, 1, 4, 8);
        var y = attention.Forward(x).Span.ToArray();
        Assert.That(y, Is.All.Not.NaN);
    }

    private static float[] Random(RandomSource rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        return a;
    }
}
