using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RL3.Core.Nn;

/// <summary>The blocked GEMM: cache blocking, packing, microkernels and the thread split.</summary>
[SkipLocalsInit]
internal static unsafe class GemmDriver
{
    /// <summary>Depth of one k block (shared by every kernel kind, so the reduction order depends on k only).</summary>
    internal const int KC = 256;

    public static void Run(in GemmProblem p, int threads)
    {
        if (p.K == 0 || p.Alpha == 0f)
        {
            ScaleC(p);
            return;
        }

        if (p.M <= SmallRows && !p.TransB)
        {
            RunFewRows(p);
            return;
        }

        GetTile(p.Kernel, out int mr, out int nr, out _, out _);
        long flops = 2L * p.M * p.N * p.K;
        if (threads <= 1 || flops < Gemm.ParallelThresholdFlops)
        {
            RunBlock(p);
            return;
        }

        // Split C into independent blocks along its longer side (in whole register tiles).
        bool byRows = p.M >= p.N;
        int tiles = byRows ? (p.M + mr - 1) / mr : (p.N + nr - 1) / nr;
        int tasks = Math.Min(threads, tiles);
        if (tasks <= 1)
        {
            RunBlock(p);
            return;
        }

        var job = new ParallelJob(p, byRows, tiles, tasks, byRows ? mr : nr);
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, job.RunTask);
    }

    /// <summary>Products with at most this many rows and an untransposed B skip packing (see <see cref="RunFewRows"/>).</summary>
    internal const int SmallRows = 4;

    private const int FewRowsColumnBlock = 512;

    /// <summary>
    /// Path for a few rows (a policy step, a single sample): streams each row of B once and updates all rows
    /// of C with it, without packing. Every element of C is computed by exactly the operations of the
    /// blocked path — per k block of <see cref="KC"/> a fused multiply-add chain over p starting from 0 with
    /// α folded into A, then stored (first block, β = 0) or added — so a row's result does not depend on how
    /// many other rows are in the product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunFewRows(in GemmProblem p)
    {
        bool overwriteFirst = p.Beta == 0f;
        if (!overwriteFirst && p.Beta != 1f)
        {
            ScaleC(p);
        }

        float* acc = stackalloc float[SmallRows * FewRowsColumnBlock];
        float* av = stackalloc float[SmallRows];
        int m = p.M;
        for (int jc = 0; jc < p.N; jc += FewRowsColumnBlock)
        {
            int nc = Math.Min(FewRowsColumnBlock, p.N - jc);
            for (int pc = 0; pc < p.K; pc += KC)
            {
                int kc = Math.Min(KC, p.K - pc);
                bool accumulate = pc > 0 || !overwriteFirst;
                if (Fma.IsSupported && m > 1)
                {
                    FewRowsRegisterTiles(p, jc, nc, pc, kc, acc);
                }
                else
                {
                    FewRowsStreaming(p, jc, nc, pc, kc, acc, av);
                }

                for (int i = 0; i < m; i++)
                {
                    float* src = acc + (i * FewRowsColumnBlock);
                    float* dst = p.C + ((long)i * p.Ldc) + jc;
                    if (accumulate)
                    {
                        var d = new Span<float>(dst, nc);
                        System.Numerics.Tensors.TensorPrimitives.Add(d, new ReadOnlySpan<float>(src, nc), d);
                    }
                    else
                    {
                        new ReadOnlySpan<float>(src, nc).CopyTo(new Span<float>(dst, nc));
                    }
                }
            }
        }
    }

    /// <summary>
    /// acc[i, j] = Σ_q fma chain of (α·A(i, q))·B(q, jc + j) over the k block, with a 4-row × 16-column tile of
    /// accumulators kept in registers (rows beyond M read a zero with stride 0 and are discarded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FewRowsRegisterTiles(in GemmProblem p, int jc, int nc, int pc, int kc, float* acc)
    {
        float zero = 0f;
        int m = p.M;
        long aStep = p.TransA ? p.Lda : 1;
        float* a0 = RowStart(p, 0, pc, &zero);
        float* a1 = m > 1 ? RowStart(p, 1, pc, &zero) : &zero;
        float* a2 = m > 2 ? RowStart(p, 2, pc, &zero) : &zero;
        float* a3 = m > 3 ? RowStart(p, 3, pc, &zero) : &zero;
        long s0 = aStep, s1 = m > 1 ? aStep : 0, s2 = m > 2 ? aStep : 0, s3 = m > 3 ? aStep : 0;
        float alpha = p.Alpha;
        float* bBlock = p.B + ((long)pc * p.Ldb) + jc;
        long ldb = p.Ldb;
        int j = 0;
        for (; j + 16 <= nc; j += 16)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
            float* b = bBlock + j;
            for (int q = 0; q < kc; q++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var v0 = Vector256.Create(alpha * a0[q * s0]);
                c00 = Fma.MultiplyAdd(v0, b0, c00);
                c01 = Fma.MultiplyAdd(v0, b1, c01);
                var v1 = Vector256.Create(alpha * a1[q * s1]);
                c10 = Fma.MultiplyAdd(v1, b0, c10);
                c11 = Fma.MultiplyAdd(v1, b1, c11);
                var v2 = Vector256.Create(alpha * a2[q * s2]);
                c20 = Fma.MultiplyAdd(v2, b0, c20);
                c21 = Fma.MultiplyAdd(v2, b1, c21);
                var v3 = Vector256.Create(alpha * a3[q * s3]);
                c30 = Fma.MultiplyAdd(v3, b0, c30);
                c31 = Fma.MultiplyAdd(v3, b1, c31);
                b += ldb;
            }

            float* r = acc + j;
            Vector256.Store(c00, r);
            Vector256.Store(c01, r + 8);
            if (m > 1)
            {
                Vector256.Store(c10, r + FewRowsColumnBlock);
                Vector256.Store(c11, r + FewRowsColumnBlock + 8);
            }

            if (m > 2)
            {
                Vector256.Store(c20, r + (2 * FewRowsColumnBlock));
                Vector256.Store(c21, r + (2 * FewRowsColumnBlock) + 8);
            }

            if (m > 3)
            {
                Vector256.Store(c30, r + (3 * FewRowsColumnBlock));
                Vector256.Store(c31, r + (3 * FewRowsColumnBlock) + 8);
            }
        }

        // Remaining columns: the same chain, one element at a time.
        for (; j < nc; j++)
        {
            for (int i = 0; i < m; i++)
            {
                float* ai = RowStart(p, i, pc, &zero);
                float sum = 0f;
                float* b = bBlock + j;
                for (int q = 0; q < kc; q++)
                {
                    sum = MathF.FusedMultiplyAdd(alpha * ai[q * aStep], *b, sum);
                    b += ldb;
                }

                acc[(i * FewRowsColumnBlock) + j] = sum;
            }
        }
    }

    /// <summary>Address of op(A)(row, pc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* RowStart(in GemmProblem p, int row, int pc, float* fallback) =>
        row < p.M ? (p.TransA ? p.A + ((long)pc * p.Lda) + row : p.A + ((long)row * p.Lda) + pc) : fallback;

    /// <summary>
    /// Streams rows of B through an accumulator buffer (one row of C: faster than register tiles, whose single
    /// row would be latency-bound; also the path without hardware FMA).
    /// </summary>
    private static void FewRowsStreaming(in GemmProblem p, int jc, int nc, int pc, int kc, float* acc, float* av)
    {
        int m = p.M;
        new Span<float>(acc, m * FewRowsColumnBlock).Clear();
        for (int q = pc; q < pc + kc; q++)
        {
            float* bRow = p.B + ((long)q * p.Ldb) + jc;
            for (int i = 0; i < m; i++)
            {
                av[i] = p.Alpha * (p.TransA ? p.A[((long)q * p.Lda) + i] : p.A[((long)i * p.Lda) + q]);
            }

            for (int i = 0; i < m; i++)
            {
                FmaRow(av[i], bRow, acc + (i * FewRowsColumnBlock), nc);
            }
        }
    }

    /// <summary><c>acc[j] = fma(a, b[j], acc[j])</c> for j &lt; n (vector and scalar FMAs round identically).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FmaRow(float a, float* b, float* acc, int n)
    {
        int j = 0;
        if (Fma.IsSupported)
        {
            var va = Vector256.Create(a);
            for (; j + 8 <= n; j += 8)
            {
                Vector256.Store(Fma.MultiplyAdd(va, Vector256.Load(b + j), Vector256.Load(acc + j)), acc + j);
            }
        }

        for (; j < n; j++)
        {
            acc[j] = MathF.FusedMultiplyAdd(a, b[j], acc[j]);
        }
    }

    internal static void GetTile(GemmKernelKind kind, out int mr, out int nr, out int mc, out int nc)
    {
        switch (kind)
        {
            case GemmKernelKind.Vector512:
                (mr, nr, mc, nc) = (12, 32, 144, 2048);
                break;
            case GemmKernelKind.Vector256:
                (mr, nr, mc, nc) = (6, 16, 144, 2048);
                break;
            default:
                (mr, nr, mc, nc) = (4, 4, 128, 1024);
                break;
        }
    }

    private static void ScaleC(in GemmProblem p)
    {
        for (int i = 0; i < p.M; i++)
        {
            var row = new Span<float>(p.C + ((long)i * p.Ldc), p.N);
            if (p.Beta == 0f)
            {
                row.Clear();
            }
            else if (p.Beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, p.Beta, row);
            }
        }
    }

    /// <summary>Runs one block of C on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunBlock(in GemmProblem p)
    {
        if (p.M == 0 || p.N == 0)
        {
            return;
        }

        // β = 0: the first k block stores its tiles (C is never read); β = 1: every block accumulates;
        // otherwise C is scaled once up front and every block accumulates.
        bool overwriteFirst = p.Beta == 0f;
        if (!overwriteFirst && p.Beta != 1f)
        {
            ScaleC(p);
        }

        GetTile(p.Kernel, out int mr, out int nr, out int mcMax, out int ncMax);
        int kcMax = Math.Min(KC, p.K);
        int mcCap = Math.Min(mcMax, RoundUp(p.M, mr));
        int ncCap = Math.Min(ncMax, RoundUp(p.N, nr));
        const int Align = 16; // floats: 64 bytes
        float[] aBuf = ArrayPool<float>.Shared.Rent((mcCap * kcMax) + Align);
        float[] bBuf = ArrayPool<float>.Shared.Rent((ncCap * kcMax) + Align);
        float* tile = stackalloc float[12 * 32];
        try
        {
            fixed (float* aRaw = aBuf)
            fixed (float* bRaw = bBuf)
            {
                float* pa = AlignUp(aRaw);
                float* pb = AlignUp(bRaw);
                for (int jc = 0; jc < p.N; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, p.N - jc);
                    for (int pc = 0; pc < p.K; pc += KC)
                    {
                        int kc = Math.Min(KC, p.K - pc);
                        bool accumulate = pc > 0 || !overwriteFirst;
                        PackB(p, pc, jc, kc, nc, nr, pb);
                        for (int ic = 0; ic < p.M; ic += mcMax)
                        {
                            int mc = Math.Min(mcMax, p.M - ic);
                            PackA(p, ic, pc, mc, kc, mr, pa);
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                int nv = Math.Min(nr, nc - jr);
                                float* bPanel = pb + ((long)jr * kc);
                                for (int ir = 0; ir < mc; ir += mr)
                                {
                                    int mv = Math.Min(mr, mc - ir);
                                    float* aPanel = pa + ((long)ir * kc);
                                    float* cTile = p.C + ((long)(ic + ir) * p.Ldc) + jc + jr;
                                    if (mv == mr && nv == nr)
                                    {
                                        Kernel(p.Kernel, kc, aPanel, bPanel, cTile, p.Ldc, accumulate);
                                    }
                                    else
                                    {
                                        Kernel(p.Kernel, kc, aPanel, bPanel, tile, nr, accumulate: false);
                                        for (int r = 0; r < mv; r++)
                                        {
                                            float* src = tile + (r * nr);
                                            float* dst = cTile + ((long)r * p.Ldc);
                                            if (accumulate)
                                            {
                                                for (int j = 0; j < nv; j++)
                                                {
                                                    dst[j] += src[j];
                                                }
                                            }
                                            else
                                            {
                                                for (int j = 0; j < nv; j++)
                                                {
                                                    dst[j] = src[j];
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(aBuf);
            ArrayPool<float>.Shared.Return(bBuf);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(GemmKernelKind kind, int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        switch (kind)
        {
            case GemmKernelKind.Vector512:
                Kernel12x32(kc, a, b, c, ldc, accumulate);
                break;
            case GemmKernelKind.Vector256:
                Kernel6x16(kc, a, b, c, ldc, accumulate);
                break;
            default:
                Kernel4x4(kc, a, b, c, ldc, accumulate);
                break;
        }
    }

    /// <summary>Packs rows [ic, ic+mc) × depth [pc, pc+kc) of op(A), times α, into MR-high panels (p-major inside a panel), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in GemmProblem p, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        float alpha = p.Alpha;
        int first = 0;
        if (p.TransA && mr == 6 && Sse.IsSupported)
        {
            // op(A) = Aᵀ: a panel's six values at one depth are six neighbours in a row of A. Walk A row by row (front
            // to back, as the hardware prefetcher likes) and give every full panel its six values: four with one
            // 128-bit load, two scalars, each times α (the same products as the scalar loop below).
            int full = mc / 6 * 6;
            var scale = Vector128.Create(alpha);
            for (int q = 0; q < kc; q++)
            {
                float* src = p.A + ((long)(pc + q) * p.Lda) + ic;
                float* d = dst + (q * 6);
                for (int ir = 0; ir < full; ir += 6)
                {
                    float* panelRow = d + ((long)ir * kc);
                    (scale * Vector128.Load(src + ir)).Store(panelRow);
                    panelRow[4] = alpha * src[ir + 4];
                    panelRow[5] = alpha * src[ir + 5];
                }
            }

            first = full;
        }

        for (int ir = first; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + ((long)ir * kc);
            if (!p.TransA)
            {
                float* src0 = p.A + ((long)(ic + ir) * p.Lda) + pc;
                int q = 0;
                if (rows == 6 && mr == 6 && Sse.IsSupported)
                {
                    q = PackSixRows(src0, p.Lda, kc, alpha, panel);
                }

                for (; q < kc; q++)
                {
                    float* d = panel + (q * mr);
                    float* src = src0 + q;
                    for (int r = 0; r < rows; r++)
                    {
                        d[r] = alpha * src[(long)r * p.Lda];
                    }
                }
            }
            else
            {
                for (int q = 0; q < kc; q++)
                {
                    float* src = p.A + ((long)(pc + q) * p.Lda) + ic + ir;
                    float* d = panel + (q * mr);
                    for (int r = 0; r < rows; r++)
                    {
                        d[r] = alpha * src[r];
                    }
                }
            }

            if (rows < mr)
            {
                for (int q = 0; q < kc; q++)
                {
                    for (int r = rows; r < mr; r++)
                    {
                        panel[(q * mr) + r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The 6-row A panel of the 256-bit kernel, four depths at a time: loads four consecutive values of each of the six
    /// rows, transposes the first four rows as a 4×4 block and the last two as 2×4, and writes each depth's six values
    /// (α·a, the same products as the scalar loop). Returns the first depth left for the scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackSixRows(float* src, long lda, int kc, float alpha, float* panel)
    {
        var scale = Vector128.Create(alpha);
        int q = 0;
        for (; q + 4 <= kc; q += 4)
        {
            float* s = src + q;
            var r0 = scale * Vector128.Load(s);
            var r1 = scale * Vector128.Load(s + lda);
            var r2 = scale * Vector128.Load(s + (2 * lda));
            var r3 = scale * Vector128.Load(s + (3 * lda));
            var r4 = scale * Vector128.Load(s + (4 * lda));
            var r5 = scale * Vector128.Load(s + (5 * lda));
            var lo01 = Sse.UnpackLow(r0, r1);    // r0[0] r1[0] r0[1] r1[1]
            var lo23 = Sse.UnpackLow(r2, r3);    // r2[0] r3[0] r2[1] r3[1]
            var hi01 = Sse.UnpackHigh(r0, r1);   // r0[2] r1[2] r0[3] r1[3]
            var hi23 = Sse.UnpackHigh(r2, r3);   // r2[2] r3[2] r2[3] r3[3]
            var lo45 = Sse.UnpackLow(r4, r5);    // r4[0] r5[0] r4[1] r5[1]
            var hi45 = Sse.UnpackHigh(r4, r5);   // r4[2] r5[2] r4[3] r5[3]
            float* d = panel + (q * 6);
            Sse.MoveLowToHigh(lo01, lo23).Store(d);          // depth q:     rows 0-3
            Sse.StoreLow(d + 4, lo45);                        //              rows 4-5
            Sse.MoveHighToLow(lo23, lo01).Store(d + 6);      // depth q + 1
            Sse.StoreHigh(d + 10, lo45);
            Sse.MoveLowToHigh(hi01, hi23).Store(d + 12);     // depth q + 2
            Sse.StoreLow(d + 16, hi45);
            Sse.MoveHighToLow(hi23, hi01).Store(d + 18);     // depth q + 3
            Sse.StoreHigh(d + 22, hi45);
        }

        return q;
    }

    /// <summary>Packs depth [pc, pc+kc) × columns [jc, jc+nc) of op(B) into NR-wide panels (p-major inside a panel), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmProblem p, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        int first = 0;
        if (!p.TransB && (nr & 7) == 0 && Vector256.IsHardwareAccelerated)
        {
            // Full panels row by row: each source row is read front to back (B is usually a weight matrix larger
            // than L2, and walking it panel by panel would touch one line per row, a stride apart, per panel).
            int full = nc / nr * nr;
            for (int q = 0; q < kc; q++)
            {
                float* src = p.B + ((long)(pc + q) * p.Ldb) + jc;
                float* d = dst + (q * nr);
                for (int jr = 0; jr < full; jr += nr)
                {
                    float* panelRow = d + ((long)jr * kc);
                    for (int j = 0; j < nr; j += 8)
                    {
                        Vector256.Store(Vector256.Load(src + jr + j), panelRow + j);
                    }
                }
            }

            first = full;
        }

        // What the row-order pass leaves: a partial last panel, transposed B, or no 256-bit vectors.
        for (int jr = first; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + ((long)jr * kc);
            if (!p.TransB)
            {
                for (int q = 0; q < kc; q++)
                {
                    float* src = p.B + ((long)(pc + q) * p.Ldb) + jc + jr;
                    float* d = panel + (q * nr);
                    for (int j = 0; j < cols; j++)
                    {
                        d[j] = src[j];
                    }

                    for (int j = cols; j < nr; j++)
                    {
                        d[j] = 0f;
                    }
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float* src = p.B + ((long)(jc + jr + j) * p.Ldb) + pc;
                    float* d = panel + j;
                    for (int q = 0; q < kc; q++)
                    {
                        d[q * nr] = src[q];
                    }
                }

                if (cols < nr)
                {
                    for (int q = 0; q < kc; q++)
                    {
                        for (int j = cols; j < nr; j++)
                        {
                            panel[(q * nr) + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    private static void Kernel4x4(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int q = 0; q < kc; q++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 = MathF.FusedMultiplyAdd(a0, b0, c00);
            c01 = MathF.FusedMultiplyAdd(a0, b1, c01);
            c02 = MathF.FusedMultiplyAdd(a0, b2, c02);
            c03 = MathF.FusedMultiplyAdd(a0, b3, c03);
            c10 = MathF.FusedMultiplyAdd(a1, b0, c10);
            c11 = MathF.FusedMultiplyAdd(a1, b1, c11);
            c12 = MathF.FusedMultiplyAdd(a1, b2, c12);
            c13 = MathF.FusedMultiplyAdd(a1, b3, c13);
            c20 = MathF.FusedMultiplyAdd(a2, b0, c20);
            c21 = MathF.FusedMultiplyAdd(a2, b1, c21);
            c22 = MathF.FusedMultiplyAdd(a2, b2, c22);
            c23 = MathF.FusedMultiplyAdd(a2, b3, c23);
            c30 = MathF.FusedMultiplyAdd(a3, b0, c30);
            c31 = MathF.FusedMultiplyAdd(a3, b1, c31);
            c32 = MathF.FusedMultiplyAdd(a3, b2, c32);
            c33 = MathF.FusedMultiplyAdd(a3, b3, c33);
            a += 4;
            b += 4;
        }

        float* r0 = c;
        float* r1 = c + ldc;
        float* r2 = c + (2 * ldc);
        float* r3 = c + (3 * ldc);
        if (accumulate)
        {
            r0[0] += c00; r0[1] += c01; r0[2] += c02; r0[3] += c03;
            r1[0] += c10; r1[1] += c11; r1[2] += c12; r1[3] += c13;
            r2[0] += c20; r2[1] += c21; r2[2] += c22; r2[3] += c23;
            r3[0] += c30; r3[1] += c31; r3[2] += c32; r3[3] += c33;
        }
        else
        {
            r0[0] = c00; r0[1] = c01; r0[2] = c02; r0[3] = c03;
            r1[0] = c10; r1[1] = c11; r1[2] = c12; r1[3] = c13;
            r2[0] = c20; r2[1] = c21; r2[2] = c22; r2[3] = c23;
            r3[0] = c30; r3[1] = c31; r3[2] = c32; r3[3] = c33;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        // The C tile is read (or written) only after the k loop; ask for its lines now so the misses overlap the FMAs.
        if (Sse.IsSupported)
        {
            for (int r = 0; r < 6; r++)
            {
                Sse.Prefetch0(c + ((long)r * ldc));
                Sse.Prefetch0(c + ((long)r * ldc) + 15);
            }
        }

        var c00 = Vector256<float>.Zero; var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero; var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero; var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero; var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero; var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero; var c51 = Vector256<float>.Zero;
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            {
                var b0 = Vector256.Load(b + 0);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                c01 = Fma.MultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                c11 = Fma.MultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                c21 = Fma.MultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                c31 = Fma.MultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                c41 = Fma.MultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
                c51 = Fma.MultiplyAdd(a5, b1, c51);
            }

            {
                var b0 = Vector256.Load(b + 16);
                var b1 = Vector256.Load(b + 24);
                var a0 = Vector256.Create(a[6]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                c01 = Fma.MultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[7]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                c11 = Fma.MultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[8]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                c21 = Fma.MultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[9]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                c31 = Fma.MultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(a[10]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                c41 = Fma.MultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(a[11]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
                c51 = Fma.MultiplyAdd(a5, b1, c51);
            }

            a += 12;
            b += 32;
        }

        for (; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }

        float* r0 = c + (0 * ldc);
        float* r1 = c + (1 * ldc);
        float* r2 = c + (2 * ldc);
        float* r3 = c + (3 * ldc);
        float* r4 = c + (4 * ldc);
        float* r5 = c + (5 * ldc);
        if (accumulate)
        {
            Vector256.Store(Vector256.Add(Vector256.Load(r0 + 0), c00), r0 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r0 + 8), c01), r0 + 8);
            Vector256.Store(Vector256.Add(Vector256.Load(r1 + 0), c10), r1 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r1 + 8), c11), r1 + 8);
            Vector256.Store(Vector256.Add(Vector256.Load(r2 + 0), c20), r2 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r2 + 8), c21), r2 + 8);
            Vector256.Store(Vector256.Add(Vector256.Load(r3 + 0), c30), r3 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r3 + 8), c31), r3 + 8);
            Vector256.Store(Vector256.Add(Vector256.Load(r4 + 0), c40), r4 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r4 + 8), c41), r4 + 8);
            Vector256.Store(Vector256.Add(Vector256.Load(r5 + 0), c50), r5 + 0);
            Vector256.Store(Vector256.Add(Vector256.Load(r5 + 8), c51), r5 + 8);
        }
        else
        {
            Vector256.Store(c00, r0 + 0);
            Vector256.Store(c01, r0 + 8);
            Vector256.Store(c10, r1 + 0);
            Vector256.Store(c11, r1 + 8);
            Vector256.Store(c20, r2 + 0);
            Vector256.Store(c21, r2 + 8);
            Vector256.Store(c30, r3 + 0);
            Vector256.Store(c31, r3 + 8);
            Vector256.Store(c40, r4 + 0);
            Vector256.Store(c41, r4 + 8);
            Vector256.Store(c50, r5 + 0);
            Vector256.Store(c51, r5 + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        var c00 = Vector512<float>.Zero; var c01 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero; var c11 = Vector512<float>.Zero;
        var c20 = Vector512<float>.Zero; var c21 = Vector512<float>.Zero;
        var c30 = Vector512<float>.Zero; var c31 = Vector512<float>.Zero;
        var c40 = Vector512<float>.Zero; var c41 = Vector512<float>.Zero;
        var c50 = Vector512<float>.Zero; var c51 = Vector512<float>.Zero;
        var c60 = Vector512<float>.Zero; var c61 = Vector512<float>.Zero;
        var c70 = Vector512<float>.Zero; var c71 = Vector512<float>.Zero;
        var c80 = Vector512<float>.Zero; var c81 = Vector512<float>.Zero;
        var c90 = Vector512<float>.Zero; var c91 = Vector512<float>.Zero;
        var c100 = Vector512<float>.Zero; var c101 = Vector512<float>.Zero;
        var c110 = Vector512<float>.Zero; var c111 = Vector512<float>.Zero;
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            {
                var b0 = Vector512.Load(b + 0);
                var b1 = Vector512.Load(b + 16);
                var a0 = Vector512.Create(a[0]);
                c00 = Fma512(a0, b0, c00);
                c01 = Fma512(a0, b1, c01);
                var a1 = Vector512.Create(a[1]);
                c10 = Fma512(a1, b0, c10);
                c11 = Fma512(a1, b1, c11);
                var a2 = Vector512.Create(a[2]);
                c20 = Fma512(a2, b0, c20);
                c21 = Fma512(a2, b1, c21);
                var a3 = Vector512.Create(a[3]);
                c30 = Fma512(a3, b0, c30);
                c31 = Fma512(a3, b1, c31);
                var a4 = Vector512.Create(a[4]);
                c40 = Fma512(a4, b0, c40);
                c41 = Fma512(a4, b1, c41);
                var a5 = Vector512.Create(a[5]);
                c50 = Fma512(a5, b0, c50);
                c51 = Fma512(a5, b1, c51);
                var a6 = Vector512.Create(a[6]);
                c60 = Fma512(a6, b0, c60);
                c61 = Fma512(a6, b1, c61);
                var a7 = Vector512.Create(a[7]);
                c70 = Fma512(a7, b0, c70);
                c71 = Fma512(a7, b1, c71);
                var a8 = Vector512.Create(a[8]);
                c80 = Fma512(a8, b0, c80);
                c81 = Fma512(a8, b1, c81);
                var a9 = Vector512.Create(a[9]);
                c90 = Fma512(a9, b0, c90);
                c91 = Fma512(a9, b1, c91);
                var a10 = Vector512.Create(a[10]);
                c100 = Fma512(a10, b0, c100);
                c101 = Fma512(a10, b1, c101);
                var a11 = Vector512.Create(a[11]);
                c110 = Fma512(a11, b0, c110);
                c111 = Fma512(a11, b1, c111);
            }

            {
                var b0 = Vector512.Load(b + 32);
                var b1 = Vector512.Load(b + 48);
                var a0 = Vector512.Create(a[12]);
                c00 = Fma512(a0, b0, c00);
                c01 = Fma512(a0, b1, c01);
                var a1 = Vector512.Create(a[13]);
                c10 = Fma512(a1, b0, c10);
                c11 = Fma512(a1, b1, c11);
                var a2 = Vector512.Create(a[14]);
                c20 = Fma512(a2, b0, c20);
                c21 = Fma512(a2, b1, c21);
                var a3 = Vector512.Create(a[15]);
                c30 = Fma512(a3, b0, c30);
                c31 = Fma512(a3, b1, c31);
                var a4 = Vector512.Create(a[16]);
                c40 = Fma512(a4, b0, c40);
                c41 = Fma512(a4, b1, c41);
                var a5 = Vector512.Create(a[17]);
                c50 = Fma512(a5, b0, c50);
                c51 = Fma512(a5, b1, c51);
                var a6 = Vector512.Create(a[18]);
                c60 = Fma512(a6, b0, c60);
                c61 = Fma512(a6, b1, c61);
                var a7 = Vector512.Create(a[19]);
                c70 = Fma512(a7, b0, c70);
                c71 = Fma512(a7, b1, c71);
                var a8 = Vector512.Create(a[20]);
                c80 = Fma512(a8, b0, c80);
                c81 = Fma512(a8, b1, c81);
                var a9 = Vector512.Create(a[21]);
                c90 = Fma512(a9, b0, c90);
                c91 = Fma512(a9, b1, c91);
                var a10 = Vector512.Create(a[22]);
                c100 = Fma512(a10, b0, c100);
                c101 = Fma512(a10, b1, c101);
                var a11 = Vector512.Create(a[23]);
                c110 = Fma512(a11, b0, c110);
                c111 = Fma512(a11, b1, c111);
            }

            a += 24;
            b += 64;
        }

        for (; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Fma512(a0, b0, c00);
            c01 = Fma512(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Fma512(a1, b0, c10);
            c11 = Fma512(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Fma512(a2, b0, c20);
            c21 = Fma512(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Fma512(a3, b0, c30);
            c31 = Fma512(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Fma512(a4, b0, c40);
            c41 = Fma512(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Fma512(a5, b0, c50);
            c51 = Fma512(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Fma512(a6, b0, c60);
            c61 = Fma512(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Fma512(a7, b0, c70);
            c71 = Fma512(a7, b1, c71);
            var a8 = Vector512.Create(a[8]);
            c80 = Fma512(a8, b0, c80);
            c81 = Fma512(a8, b1, c81);
            var a9 = Vector512.Create(a[9]);
            c90 = Fma512(a9, b0, c90);
            c91 = Fma512(a9, b1, c91);
            var a10 = Vector512.Create(a[10]);
            c100 = Fma512(a10, b0, c100);
            c101 = Fma512(a10, b1, c101);
            var a11 = Vector512.Create(a[11]);
            c110 = Fma512(a11, b0, c110);
            c111 = Fma512(a11, b1, c111);
            a += 12;
            b += 32;
        }

        float* r0 = c + (0 * ldc);
        float* r1 = c + (1 * ldc);
        float* r2 = c + (2 * ldc);
        float* r3 = c + (3 * ldc);
        float* r4 = c + (4 * ldc);
        float* r5 = c + (5 * ldc);
        float* r6 = c + (6 * ldc);
        float* r7 = c + (7 * ldc);
        float* r8 = c + (8 * ldc);
        float* r9 = c + (9 * ldc);
        float* r10 = c + (10 * ldc);
        float* r11 = c + (11 * ldc);
        if (accumulate)
        {
            Vector512.Store(Vector512.Add(Vector512.Load(r0 + 0), c00), r0 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r0 + 16), c01), r0 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r1 + 0), c10), r1 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r1 + 16), c11), r1 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r2 + 0), c20), r2 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r2 + 16), c21), r2 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r3 + 0), c30), r3 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r3 + 16), c31), r3 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r4 + 0), c40), r4 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r4 + 16), c41), r4 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r5 + 0), c50), r5 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r5 + 16), c51), r5 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r6 + 0), c60), r6 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r6 + 16), c61), r6 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r7 + 0), c70), r7 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r7 + 16), c71), r7 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r8 + 0), c80), r8 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r8 + 16), c81), r8 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r9 + 0), c90), r9 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r9 + 16), c91), r9 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r10 + 0), c100), r10 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r10 + 16), c101), r10 + 16);
            Vector512.Store(Vector512.Add(Vector512.Load(r11 + 0), c110), r11 + 0);
            Vector512.Store(Vector512.Add(Vector512.Load(r11 + 16), c111), r11 + 16);
        }
        else
        {
            Vector512.Store(c00, r0 + 0);
            Vector512.Store(c01, r0 + 16);
            Vector512.Store(c10, r1 + 0);
            Vector512.Store(c11, r1 + 16);
            Vector512.Store(c20, r2 + 0);
            Vector512.Store(c21, r2 + 16);
            Vector512.Store(c30, r3 + 0);
            Vector512.Store(c31, r3 + 16);
            Vector512.Store(c40, r4 + 0);
            Vector512.Store(c41, r4 + 16);
            Vector512.Store(c50, r5 + 0);
            Vector512.Store(c51, r5 + 16);
            Vector512.Store(c60, r6 + 0);
            Vector512.Store(c61, r6 + 16);
            Vector512.Store(c70, r7 + 0);
            Vector512.Store(c71, r7 + 16);
            Vector512.Store(c80, r8 + 0);
            Vector512.Store(c81, r8 + 16);
            Vector512.Store(c90, r9 + 0);
            Vector512.Store(c91, r9 + 16);
            Vector512.Store(c100, r10 + 0);
            Vector512.Store(c101, r10 + 16);
            Vector512.Store(c110, r11 + 0);
            Vector512.Store(c111, r11 + 16);
        }
    }

    /// <summary>
    /// 512-bit fused multiply-add <c>a·b + c</c>. Without AVX-512 (only the tests run this kernel there, through .NET's
    /// software Vector512) it is emulated: fused on .NET 9+, a separate multiply and add on .NET 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma512(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
#if NET9_0_OR_GREATER
        Vector512.FusedMultiplyAdd(a, b, c);
#else
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : (a * b) + c;
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* AlignUp(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);

    /// <summary>Runs one slice of C per task; slices are whole register tiles, so no two tasks touch the same element.</summary>
    private sealed class ParallelJob
    {
        private readonly GemmProblem _p;
        private readonly bool _byRows;
        private readonly int _tiles;
        private readonly int _tasks;
        private readonly int _tile;

        public ParallelJob(in GemmProblem p, bool byRows, int tiles, int tasks, int tile)
        {
            _p = p;
            _byRows = byRows;
            _tiles = tiles;
            _tasks = tasks;
            _tile = tile;
        }

        public void RunTask(int t)
        {
            int t0 = (int)((long)_tiles * t / _tasks);
            int t1 = (int)((long)_tiles * (t + 1) / _tasks);
            int extent = _byRows ? _p.M : _p.N;
            int s0 = Math.Min(extent, t0 * _tile);
            int s1 = Math.Min(extent, t1 * _tile);
            if (s1 <= s0)
            {
                return;
            }

            var block = _byRows ? _p.Block(s0, s1, 0, _p.N) : _p.Block(0, _p.M, s0, s1);
            RunBlock(block);
        }
    }
}
