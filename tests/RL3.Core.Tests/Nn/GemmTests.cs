using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class GemmTests
{
    private static readonly GemmKernelKind[] AllKernels = [GemmKernelKind.Scalar, GemmKernelKind.Vector256, GemmKernelKind.Vector512];

    private static IEnumerable<GemmKernelKind> SupportedKernels() => AllKernels.Where(Gemm.IsSupported);

    private static float[] RandomArray(RandomSource rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        return x;
    }

    /// <summary>Naive reference in double: C = α·op(A)·op(B) + β·C; also returns the error scale Σ|α a b| + |β c|.</summary>
    private static (double[] Value, double[] Scale) Reference(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        // Materialise op(A) (m×k) and op(B)ᵀ (n×k) so that the triple loop is a contiguous dot product.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                opA[(i * k) + p] = ta ? a[(p * lda) + i] : a[(i * lda) + p];
            }
        }

        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
            {
                opBt[(j * k) + p] = tb ? b[(j * ldb) + p] : b[(p * ldb) + j];
            }
        }

        var result = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            var ai = opA.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                var bj = opBt.AsSpan(j * k, k);
                double s = 0, abs = 0;
                for (int p = 0; p < ai.Length; p++)
                {
                    double prod = ai[p] * bj[p];
                    s += prod;
                    abs += Math.Abs(prod);
                }

                double c0 = beta == 0 ? 0 : beta * (double)c[(i * ldc) + j];
                result[(i * n) + j] = (alpha * s) + c0;
                scale[(i * n) + j] = (Math.Abs(alpha) * abs) + Math.Abs(c0) + 1e-30;
            }
        }

        return (result, scale);
    }

    private static void CheckCase(RandomSource rng, GemmKernelKind kernel, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad = 0)
    {
        int lda = (ta ? m : k) + pad;
        int ldb = (tb ? k : n) + pad;
        int ldc = n + pad;
        var a = RandomArray(rng, Math.Max(1, (ta ? k : m) * lda));
        var b = RandomArray(rng, Math.Max(1, (tb ? n : k) * ldb));
        var c = RandomArray(rng, Math.Max(1, m * ldc));
        var (expected, scale) = Reference(ta, tb, m, n, k, alpha, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, c, ldc);
        var padBefore = (float[])c.Clone();
        Gemm.MultiplyCore(ta ? MatrixOp.Transpose : MatrixOp.None, tb ? MatrixOp.Transpose : MatrixOp.None, m, n, k, alpha,
            a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, c, Math.Max(1, ldc), 1, kernel, allowEmulated: true);
        double tol = 4e-7 * (k + 8);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double err = Math.Abs(c[(i * ldc) + j] - expected[(i * n) + j]) / scale[(i * n) + j];
                if (!(err <= tol))
                {
                    Assert.Fail($"{kernel} ta={ta} tb={tb} m={m} n={n} k={k} alpha={alpha} beta={beta}: C[{i},{j}]={c[(i * ldc) + j]} expected {expected[(i * n) + j]} (relative error {err:E2} > {tol:E2})");
                }
            }

            for (int j = n; j < ldc; j++)
            {
                if (c[(i * ldc) + j] != padBefore[(i * ldc) + j])
                {
                    Assert.Fail($"padding column {j} of row {i} was written");
                }
            }
        }
    }

    [Test]
    public void Multiply_AllSmallShapes_MatchesDoubleReference([Values(1, 16, 70)] int k, [Values(false, true)] bool ta, [Values(false, true)] bool tb)
    {
        var rng = new RandomSource(42 + (ulong)k);
        var kernel = Gemm.BestKernel;
        for (int m = 1; m <= 70; m++)
        {
            for (int n = 1; n <= 70; n++)
            {
                float beta = ((m + n) % 3) switch { 0 => 0f, 1 => 1f, _ => -0.5f };
                CheckCase(rng, kernel, ta, tb, m, n, k, 1.5f, beta);
            }
        }
    }

    [Test]
    public void Multiply_AllTransposeCombosAndKernels_MatchDoubleReference([Values(false, true)] bool ta, [Values(false, true)] bool tb)
    {
        var rng = new RandomSource(7);
        int[] sizes = [1, 2, 3, 5, 6, 7, 11, 12, 13, 16, 17, 31, 32, 33, 47, 64, 65, 70];
        foreach (var kernel in SupportedKernels())
        {
            foreach (int m in sizes)
            {
                foreach (int n in sizes)
                {
                    int k = sizes[(m * 7 + n) % sizes.Length];
                    CheckCase(rng, kernel, ta, tb, m, n, k, 0.75f, m % 2 == 0 ? 0f : 1f, pad: (m + n) % 3);
                }
            }
        }
    }

    [Test]
    public void Multiply_OddLargeSizes_MatchDoubleReference([Values(false, true)] bool ta, [Values(false, true)] bool tb)
    {
        var rng = new RandomSource(11);
        (int M, int N, int K)[] cases = [(127, 129, 257), (257, 31, 513), (5, 257, 300), (150, 2100, 3), (1, 513, 127)];
        foreach (var kernel in SupportedKernels())
        {
            foreach (var (m, n, k) in cases)
            {
                CheckCase(rng, kernel, ta, tb, m, n, k, -1.25f, 0.5f, pad: 1);
            }
        }
    }

    [Test]
    public void Multiply_Vector512KernelEmulated_MatchesDoubleReference([Values(false, true)] bool ta, [Values(false, true)] bool tb)
    {
        // Runs the 12x32 AVX-512 kernel (packing, edges, tiles) even on CPUs without AVX-512, through
        // .NET's software Vector512: checks the 512-bit path's logic where the hardware is missing.
        var rng = new RandomSource(13);
        (int M, int N, int K)[] cases = [(1, 1, 1), (12, 32, 7), (13, 33, 17), (25, 65, 40), (11, 31, 257), (40, 9, 3)];
        foreach (var (m, n, k) in cases)
        {
            CheckCase(rng, GemmKernelKind.Vector512, ta, tb, m, n, k, 1.5f, 0.25f, pad: 1);
        }
    }

    [Test]
    public void Multiply_ThreadCount_GivesBitIdenticalResults([Values(GemmKernelKind.Scalar, GemmKernelKind.Vector256, GemmKernelKind.Vector512)] GemmKernelKind kernel)
    {
        if (!Gemm.IsSupported(kernel))
        {
            Assert.Ignore($"{kernel} is not supported on this CPU.");
        }

        var rng = new RandomSource(3);
        (int M, int N, int K, bool Ta, bool Tb)[] cases = [(300, 70, 600, false, false), (64, 700, 257, true, false), (257, 255, 513, false, true), (190, 190, 190, true, true)];
        foreach (var (m, n, k, ta, tb) in cases)
        {
            var a = RandomArray(rng, m * k);
            var b = RandomArray(rng, k * n);
            var c0 = RandomArray(rng, m * n);
            float[]? reference = null;
            foreach (int threads in new[] { 1, 2, 3, 7 })
            {
                var c = (float[])c0.Clone();
                Gemm.Multiply(ta ? MatrixOp.Transpose : MatrixOp.None, tb ? MatrixOp.Transpose : MatrixOp.None, m, n, k, 1.1f,
                    a, ta ? m : k, b, tb ? k : n, 0.3f, c, n, threads, kernel);
                if (reference is null)
                {
                    reference = c;
                }
                else
                {
                    Assert.That(c, Is.EqualTo(reference), $"{m}x{n}x{k} with {threads} threads differs from 1 thread");
                }
            }
        }
    }

    [Test]
    public void Multiply_RowsOfABatch_AreBitIdenticalToSingleRowProducts([Values(false, true)] bool ta, [Values(0f, 1f, 0.5f)] float beta, [Values(1f, 1.25f)] float alpha)
    {
        // The few-rows path (m ≤ 4) and the blocked path compute each element identically, so a row of a
        // batched product equals the product of that row alone (incremental inference = full forward).
        var rng = new RandomSource(21);
        foreach (var kernel in SupportedKernels())
        {
            foreach (var (m, n, k) in new[] { (64, 70, 300), (9, 33, 17), (13, 600, 5) })
            {
                var a = RandomArray(rng, m * k);
                var b = RandomArray(rng, k * n);
                var c0 = RandomArray(rng, m * n);
                var full = (float[])c0.Clone();
                Gemm.Multiply(ta ? MatrixOp.Transpose : MatrixOp.None, MatrixOp.None, m, n, k, alpha, a, ta ? m : k, b, n, beta, full, n, 1, kernel);
                foreach (int rows in new[] { 1, 3, 4 })
                {
                    for (int r0 = 0; r0 + rows <= m; r0 += 5)
                    {
                        // rows r0..r0+rows of op(A), as a stored sub-matrix.
                        var part = new float[rows * k];
                        for (int i = 0; i < rows; i++)
                        {
                            for (int p = 0; p < k; p++)
                            {
                                part[ta ? (p * rows) + i : (i * k) + p] = ta ? a[(p * m) + r0 + i] : a[((r0 + i) * k) + p];
                            }
                        }

                        var c = c0.AsSpan(r0 * n, rows * n).ToArray();
                        Gemm.Multiply(ta ? MatrixOp.Transpose : MatrixOp.None, MatrixOp.None, rows, n, k, alpha, part, ta ? rows : k, b, n, beta, c, n, 1, kernel);
                        Assert.That(c, Is.EqualTo(full.AsSpan(r0 * n, rows * n).ToArray()), $"{kernel} {m}x{n}x{k} rows {r0}..{r0 + rows}");
                    }
                }
            }
        }
    }

    [Test]
    public void Multiply_BetaZero_IgnoresNaNInC()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [1, 0, 0, 1];
        float[] c = [float.NaN, float.NaN, float.NaN, float.NaN];
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        Assert.That(c, Is.EqualTo(new float[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void Multiply_KZeroOrAlphaZero_ScalesCByBeta()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 0, 1f, [], 1, [], 2, 2f, c, 2);
        Assert.That(c, Is.EqualTo(new float[] { 2, 4, 6, 8 }));
        float[] a = [float.NaN, 1, 1, 1];
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 2, 0f, a, 2, a, 2, 0.5f, c, 2);
        Assert.That(c, Is.EqualTo(new float[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void Multiply_TooShortSpan_ThrowsNamingTheOperand()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(MatrixOp.None, MatrixOp.None, 3, 3, 3, 1f, new float[8], 3, new float[9], 3, 0f, new float[9], 3));
        Assert.That(ex!.ParamName, Is.EqualTo("a"));
        Assert.That(ex.Message, Does.Contain("needs 9"));
    }

    [Test]
    public void Multiply_StrideTooSmall_ThrowsNamingTheStride()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[12], 4));
        Assert.That(ex!.ParamName, Is.EqualTo("ldb"));
    }

    [Test]
    public void Multiply_TensorsWithMismatchedInnerDimension_ThrowsNamingB()
    {
        using var a = new NnTensor(4, 3);
        using var b = new NnTensor(4, 5);
        using var c = new NnTensor(4, 5);
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, MatrixOp.None, b, MatrixOp.None, c));
        Assert.That(ex!.ParamName, Is.EqualTo("b"));
        Assert.DoesNotThrow(() => Gemm.Multiply(a, MatrixOp.Transpose, b, MatrixOp.None, new NnTensor(3, 5)));
    }

    [Test]
    public void Multiply_UnsupportedKernel_ThrowsPlatformNotSupported()
    {
        var missing = AllKernels.FirstOrDefault(k => !Gemm.IsSupported(k));
        if (missing == GemmKernelKind.Auto)
        {
            Assert.Ignore("Every kernel is supported on this CPU.");
        }

        Assert.Throws<PlatformNotSupportedException>(() => Gemm.Multiply(MatrixOp.None, MatrixOp.None, 1, 1, 1, 1f, new float[1], 1, new float[1], 1, 0f, new float[1], 1, 1, missing));
    }
}
