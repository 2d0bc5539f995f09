using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#if !NET9_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace RL3.Core.Nn;

/// <summary>
/// Vector kernels for one query attending over a key/value cache (incremental inference): scores against
/// transposed keys, and the probability-weighted sum of value rows. Vector512, Vector256 and scalar paths.
/// </summary>
internal static class AttentionKernels
{
    /// <summary>The widest vector path this CPU runs in hardware (512, 256, or 0 for scalar).</summary>
    public static readonly int BestWidth = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary><c>y += a·x</c> for short rows (one head's features), inlined vector loop.</summary>
    /// <param name="a">The scale.</param>
    /// <param name="x">The added row.</param>
    /// <param name="y">The accumulated row (same length).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = y.Length;
        if (x.Length < n)
        {
            throw new ArgumentException("x is shorter than y.", nameof(x));
        }

        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 8 <= n; i += 8)
            {
                Fma256(va, Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256.LoadUnsafe(ref y0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref y0, i) = MathF.FusedMultiplyAdd(a, Unsafe.Add(ref x0, i), Unsafe.Add(ref y0, i));
        }
    }

    /// <summary>
    /// In-place numerically stable softmax: <c>x ← exp(x − max x) / Σ exp(x − max x)</c> (no overflow for large scores,
    /// unlike a plain <c>exp(x)/Σexp(x)</c>).
    /// </summary>
    /// <param name="x">The scores (non-empty); overwritten with probabilities.</param>
    public static void Softmax(Span<float> x)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, x);
        TensorPrimitives.Exp(x, x);
        TensorPrimitives.Multiply(x, 1f / TensorPrimitives.Sum(x), x);
    }

    /// <summary>
    /// <c>scores[j] = scale · Σ_c q[c] · keys[c·stride + j]</c> for j in [0, count rounded up to 16) —
    /// entries past <paramref name="count"/> are garbage (they read unused cache columns) and must be ignored.
    /// </summary>
    /// <param name="q">The query of one head (length dh).</param>
    /// <param name="keys">The head's transposed keys: dh rows of <paramref name="stride"/> (a multiple of 16).</param>
    /// <param name="stride">Row stride of <paramref name="keys"/>.</param>
    /// <param name="count">Number of valid positions (≤ stride).</param>
    /// <param name="scale">Score scale (1/√dh).</param>
    /// <param name="scores">Receives the scores; length ≥ count rounded up to 16.</param>
    /// <param name="width">Vector width in bits: 512, 256 or 0 (scalar); <see cref="BestWidth"/> in production.</param>
    public static void Scores(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, int stride, int count, float scale, Span<float> scores, int width)
    {
        int dh = q.Length;
        int padded = (count + 15) & ~15;
        if (padded > stride || scores.Length < padded || keys.Length < ((dh - 1) * stride) + padded)
        {
            throw new ArgumentException("Attention score buffers are too small.", nameof(scores));
        }

        ref float k0 = ref MemoryMarshal.GetReference(keys);
        ref float s0 = ref MemoryMarshal.GetReference(scores);
        if (width == 512)
        {
            // Four independent accumulators (64 positions) hide the FMA latency; then 16 at a time.
            var vs = Vector512.Create(scale);
            int j = 0;
            for (; j + 64 <= padded; j += 64)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int c = 0; c < dh; c++)
                {
                    var qc = Vector512.Create(q[c]);
                    nuint o = (nuint)((c * stride) + j);
                    a0 = Fma512(qc, Vector512.LoadUnsafe(ref k0, o), a0);
                    a1 = Fma512(qc, Vector512.LoadUnsafe(ref k0, o + 16), a1);
                    a2 = Fma512(qc, Vector512.LoadUnsafe(ref k0, o + 32), a2);
                    a3 = Fma512(qc, Vector512.LoadUnsafe(ref k0, o + 48), a3);
                }

                (a0 * vs).StoreUnsafe(ref s0, (nuint)j);
                (a1 * vs).StoreUnsafe(ref s0, (nuint)(j + 16));
                (a2 * vs).StoreUnsafe(ref s0, (nuint)(j + 32));
                (a3 * vs).StoreUnsafe(ref s0, (nuint)(j + 48));
            }

            for (; j < padded; j += 16)
            {
                var acc = Vector512<float>.Zero;
                for (int c = 0; c < dh; c++)
                {
                    acc = Fma512(Vector512.Create(q[c]), Vector512.LoadUnsafe(ref k0, (nuint)((c * stride) + j)), acc);
                }

                (acc * vs).StoreUnsafe(ref s0, (nuint)j);
            }
        }
        else if (width == 256)
        {
            var vs = Vector256.Create(scale);
            int j = 0;
            for (; j + 32 <= padded; j += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int c = 0; c < dh; c++)
                {
                    var qc = Vector256.Create(q[c]);
                    nuint o = (nuint)((c * stride) + j);
                    a0 = Fma256(qc, Vector256.LoadUnsafe(ref k0, o), a0);
                    a1 = Fma256(qc, Vector256.LoadUnsafe(ref k0, o + 8), a1);
                    a2 = Fma256(qc, Vector256.LoadUnsafe(ref k0, o + 16), a2);
                    a3 = Fma256(qc, Vector256.LoadUnsafe(ref k0, o + 24), a3);
                }

                (a0 * vs).StoreUnsafe(ref s0, (nuint)j);
                (a1 * vs).StoreUnsafe(ref s0, (nuint)(j + 8));
                (a2 * vs).StoreUnsafe(ref s0, (nuint)(j + 16));
                (a3 * vs).StoreUnsafe(ref s0, (nuint)(j + 24));
            }

            for (; j < padded; j += 8)
            {
                var acc = Vector256<float>.Zero;
                for (int c = 0; c < dh; c++)
                {
                    acc = Fma256(Vector256.Create(q[c]), Vector256.LoadUnsafe(ref k0, (nuint)((c * stride) + j)), acc);
                }

                (acc * vs).StoreUnsafe(ref s0, (nuint)j);
            }
        }
        else
        {
            for (int j = 0; j < count; j++)
            {
                float acc = 0f;
                for (int c = 0; c < dh; c++)
                {
                    acc = MathF.FusedMultiplyAdd(q[c], Unsafe.Add(ref k0, (c * stride) + j), acc);
                }

                scores[j] = acc * scale;
            }
        }
    }

    /// <summary>
    /// <c>output[c] = Σ_{j &lt; count} p[j] · values[j·rowStride + c]</c> for c in [0, output.Length).
    /// </summary>
    /// <param name="p">The attention probabilities (length ≥ count).</param>
    /// <param name="values">The head's values: <paramref name="count"/> rows of <paramref name="rowStride"/>, this head's columns first.</param>
    /// <param name="rowStride">Row stride of <paramref name="values"/> (the model dimension).</param>
    /// <param name="count">Number of positions.</param>
    /// <param name="output">Receives the weighted sum (length dh).</param>
    /// <param name="width">Vector width in bits: 512, 256 or 0 (scalar); <see cref="BestWidth"/> in production.</param>
    public static void WeightedSum(ReadOnlySpan<float> p, ReadOnlySpan<float> values, int rowStride, int count, Span<float> output, int width)
    {
        int dh = output.Length;
        if (p.Length < count || (count > 0 && values.Length < ((count - 1) * rowStride) + dh))
        {
            throw new ArgumentException("Attention value buffers are too small.", nameof(values));
        }

        ref float v0 = ref MemoryMarshal.GetReference(values);
        ref float o0 = ref MemoryMarshal.GetReference(output);
        int c = 0;
        if (width == 512)
        {
            for (; c + 16 <= dh; c += 16)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                int j = 0;
                for (; j + 4 <= count; j += 4)
                {
                    nuint o = (nuint)((j * rowStride) + c);
                    nuint r = (nuint)rowStride;
                    a0 = Fma512(Vector512.Create(p[j]), Vector512.LoadUnsafe(ref v0, o), a0);
                    a1 = Fma512(Vector512.Create(p[j + 1]), Vector512.LoadUnsafe(ref v0, o + r), a1);
                    a2 = Fma512(Vector512.Create(p[j + 2]), Vector512.LoadUnsafe(ref v0, o + (2 * r)), a2);
                    a3 = Fma512(Vector512.Create(p[j + 3]), Vector512.LoadUnsafe(ref v0, o + (3 * r)), a3);
                }

                for (; j < count; j++)
                {
                    a0 = Fma512(Vector512.Create(p[j]), Vector512.LoadUnsafe(ref v0, (nuint)((j * rowStride) + c)), a0);
                }

                ((a0 + a1) + (a2 + a3)).StoreUnsafe(ref o0, (nuint)c);
            }
        }

        if (width >= 256)
        {
            for (; c + 8 <= dh; c += 8)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                int j = 0;
                for (; j + 4 <= count; j += 4)
                {
                    nuint o = (nuint)((j * rowStride) + c);
                    nuint r = (nuint)rowStride;
                    a0 = Fma256(Vector256.Create(p[j]), Vector256.LoadUnsafe(ref v0, o), a0);
                    a1 = Fma256(Vector256.Create(p[j + 1]), Vector256.LoadUnsafe(ref v0, o + r), a1);
                    a2 = Fma256(Vector256.Create(p[j + 2]), Vector256.LoadUnsafe(ref v0, o + (2 * r)), a2);
                    a3 = Fma256(Vector256.Create(p[j + 3]), Vector256.LoadUnsafe(ref v0, o + (3 * r)), a3);
                }

                for (; j < count; j++)
                {
                    a0 = Fma256(Vector256.Create(p[j]), Vector256.LoadUnsafe(ref v0, (nuint)((j * rowStride) + c)), a0);
                }

                ((a0 + a1) + (a2 + a3)).StoreUnsafe(ref o0, (nuint)c);
            }
        }

        for (; c < dh; c++)
        {
            float acc = 0f;
            for (int j = 0; j < count; j++)
            {
                acc = MathF.FusedMultiplyAdd(p[j], Unsafe.Add(ref v0, (j * rowStride) + c), acc);
            }

            output[c] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Fma512(Vector512<float> a, Vector512<float> b, Vector512<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector512.FusedMultiplyAdd(a, b, c);
#else
        return Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : (a * b) + c;
#endif
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector256.FusedMultiplyAdd(a, b, c);
#else
        return Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;
#endif
    }
}
