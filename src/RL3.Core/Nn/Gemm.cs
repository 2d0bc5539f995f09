using System.Runtime.Intrinsics.X86;

namespace RL3.Core.Nn;

/// <summary>
/// General matrix multiply on row-major float32 matrices: <c>C ← α·op(A)·op(B) + β·C</c>, with
/// <c>op(X)</c> either <c>X</c> or <c>Xᵀ</c>. The one GEMM every layer of the engine uses.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: <c>op(A)</c> is m×k, <c>op(B)</c> is k×n, <c>C</c> is m×n. Leading dimensions are the row strides of
/// the <em>stored</em> matrices: A is stored m×k (<see cref="MatrixOp.None"/>) or k×m
/// (<see cref="MatrixOp.Transpose"/>) with row stride <c>lda</c>, likewise B (k×n or n×k, <c>ldb</c>);
/// C is stored m×n with row stride <c>ldc</c>. When β = 0, C is not read (NaNs in C do not propagate).
/// </para>
/// <para>
/// Algorithm (Goto/BLIS): the k dimension is cut into blocks of KC, B blocks are packed into NR-wide
/// panels, A blocks into MR-high panels (α folded in), and a register-blocked microkernel
/// (AVX-512 12×32, AVX2+FMA 6×16, scalar 4×4) accumulates each MR×NR tile of C over one k block.
/// Large products run on several threads, split over independent blocks of rows or columns of C;
/// the k reduction is never split, so every element of C is computed by the same sequence of
/// operations whatever the number of threads: results are bit-identical for any
/// <c>maxDegreeOfParallelism</c>. Products with at most four rows and an untransposed B take a path without
/// packing that performs the very same operations per element, so each row of C is also independent of
/// how many other rows are in the product (a batch of one gives the same bits as that row in a batch).
/// Results may differ in the last bits between kernel kinds on hardware without FMA.
/// </para>
/// </remarks>
public static class Gemm
{
    /// <summary>Products with fewer flops (2·m·n·k) than this always run on the calling thread.</summary>
    public const long ParallelThresholdFlops = 1L << 22;

    /// <summary>The widest kernel this CPU supports (what <see cref="GemmKernelKind.Auto"/> selects).</summary>
    public static GemmKernelKind BestKernel { get; } =
        Avx512F.IsSupported ? GemmKernelKind.Vector512 :
        Fma.IsSupported && Avx2.IsSupported ? GemmKernelKind.Vector256 :
        GemmKernelKind.Scalar;

    /// <summary>Whether <paramref name="kind"/> can run on this CPU.</summary>
    /// <param name="kind">The kernel kind.</param>
    /// <returns><see langword="true"/> when supported.</returns>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Auto or GemmKernelKind.Scalar => true,
        GemmKernelKind.Vector256 => Fma.IsSupported && Avx2.IsSupported,
        GemmKernelKind.Vector512 => Avx512F.IsSupported,
        _ => false,
    };

    /// <summary>
    /// Computes <c>C ← α·op(A)·op(B) + β·C</c> using all cores for large products.
    /// </summary>
    /// <param name="opA">Whether A is used as stored or transposed.</param>
    /// <param name="opB">Whether B is used as stored or transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Stored A (m×k, or k×m when transposed).</param>
    /// <param name="lda">Row stride of stored A.</param>
    /// <param name="b">Stored B (k×n, or n×k when transposed).</param>
    /// <param name="ldb">Row stride of stored B.</param>
    /// <param name="beta">Scale of the existing C (0: C is overwritten without being read).</param>
    /// <param name="c">C (m×n).</param>
    /// <param name="ldc">Row stride of C.</param>
    public static void Multiply(
        MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, -1, GemmKernelKind.Auto);

    /// <summary>
    /// Computes <c>C ← α·op(A)·op(B) + β·C</c> with an explicit thread limit and kernel kind.
    /// </summary>
    /// <param name="opA">Whether A is used as stored or transposed.</param>
    /// <param name="opB">Whether B is used as stored or transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Stored A (m×k, or k×m when transposed).</param>
    /// <param name="lda">Row stride of stored A.</param>
    /// <param name="b">Stored B (k×n, or n×k when transposed).</param>
    /// <param name="ldb">Row stride of stored B.</param>
    /// <param name="beta">Scale of the existing C (0: C is overwritten without being read).</param>
    /// <param name="c">C (m×n).</param>
    /// <param name="ldc">Row stride of C.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; -1 for <see cref="Environment.ProcessorCount"/>, 1 for the calling thread only.</param>
    /// <param name="kernel">The kernel kind; <see cref="GemmKernelKind.Auto"/> for <see cref="BestKernel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, a stride too small, or the thread limit is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape and stride.</exception>
    /// <exception cref="PlatformNotSupportedException">The requested kernel kind is not supported by this CPU.</exception>
    public static void Multiply(
        MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        int maxDegreeOfParallelism, GemmKernelKind kernel) =>
        MultiplyCore(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxDegreeOfParallelism, kernel, allowEmulated: false);

    /// <summary>
    /// The implementation; <paramref name="allowEmulated"/> lets tests run the 512-bit kernel through .NET's
    /// software emulation of <see cref="System.Runtime.Intrinsics.Vector512{T}"/> on CPUs without AVX-512 (.NET 9+ only).
    /// </summary>
    internal static unsafe void MultiplyCore(
        MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        int maxDegreeOfParallelism, GemmKernelKind kernel, bool allowEmulated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "maxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }

        bool ta = opA == MatrixOp.Transpose;
        bool tb = opB == MatrixOp.Transpose;
        CheckOperand(a, ta ? k : m, ta ? m : k, lda, nameof(a), nameof(lda));
        CheckOperand(b, tb ? n : k, tb ? k : n, ldb, nameof(b), nameof(ldb));
        CheckOperand(c, m, n, ldc, nameof(c), nameof(ldc));
        if (kernel == GemmKernelKind.Auto)
        {
            kernel = BestKernel;
        }
        else if (!IsSupported(kernel) && !allowEmulated)
        {
            throw new PlatformNotSupportedException($"The GEMM kernel {kernel} is not supported by this CPU (best available: {BestKernel}).");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var problem = new GemmProblem(kernel, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            GemmDriver.Run(problem, threads);
        }
    }

    /// <summary>
    /// Computes <c>C ← α·op(A)·op(B) + β·C</c> on the matrix views (<see cref="NnTensor.Rows"/> ×
    /// <see cref="NnTensor.Columns"/>) of three tensors.
    /// </summary>
    /// <param name="a">A (its matrix view is m×k, or k×m when <paramref name="opA"/> transposes).</param>
    /// <param name="opA">Whether A is used as stored or transposed.</param>
    /// <param name="b">B (k×n, or n×k when <paramref name="opB"/> transposes).</param>
    /// <param name="opB">Whether B is used as stored or transposed.</param>
    /// <param name="c">C, whose matrix view must be m×n.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <exception cref="ArgumentException">The shapes do not agree; the message names the operand.</exception>
    public static void Multiply(NnTensor a, MatrixOp opA, NnTensor b, MatrixOp opB, NnTensor c, float alpha = 1f, float beta = 0f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        int m = opA == MatrixOp.Transpose ? a.Columns : a.Rows;
        int k = opA == MatrixOp.Transpose ? a.Rows : a.Columns;
        int kb = opB == MatrixOp.Transpose ? b.Columns : b.Rows;
        int n = opB == MatrixOp.Transpose ? b.Rows : b.Columns;
        if (kb != k)
        {
            throw new ArgumentException($"op(a) is {m}x{k} (a {a.ShapeString()}, {opA}) but op(b) is {kb}x{n} (b {b.ShapeString()}, {opB}): inner dimensions differ.", nameof(b));
        }

        if (c.Rows != m || c.Columns != n)
        {
            throw new ArgumentException($"c must be a {m}x{n} matrix but has shape {c.ShapeString()}.", nameof(c));
        }

        Multiply(opA, opB, m, n, k, alpha, a.Span, a.Columns, b.Span, b.Columns, beta, c.Span, c.Columns);
    }

    private static void CheckOperand(ReadOnlySpan<float> x, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException(ldName, ld, $"{ldName} must be at least {Math.Max(1, cols)} (the stored row length of {name}).");
        }

        long need = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
        if (x.Length < need)
        {
            throw new ArgumentException($"{name} has {x.Length} elements but a {rows}x{cols} matrix with row stride {ld} needs {need}.", name);
        }
    }
}
