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

    /// <summary>
    /// The key and value gradients of one (sequence, head) in the attention backward pass, from the full score-gradient
    /// and probability matrices: <c>∂K_j = Σ_{i ≥ j} (scale·∂S[i, j])·Q_i</c> and <c>∂V_j = Σ_{i ≥ j} P[i, j]·∂A_i</c>
    /// (causal: only rows i ≥ j contribute), written over the destination rows.
    /// </summary>
    /// <remarks>
    /// Each destination element is one chain of fused multiply-adds over ascending i starting from 0, kept in registers
    /// for all of its terms: the same floats as accumulating <c>y = fma(scale·∂S[i, j], Q_i, y)</c> row by row in
    /// memory, without storing each partial sum.
    /// </remarks>
    /// <param name="scoreGradients">∂S, <c>[count, ≥ count]</c> at row stride <paramref name="matrixStride"/>.</param>
    /// <param name="probabilities">P, same layout as <paramref name="scoreGradients"/>.</param>
    /// <param name="matrixStride">Row stride of ∂S and P.</param>
    /// <param name="count">Number of positions T.</param>
    /// <param name="scale">The factor applied to each ∂S value (1/√dh).</param>
    /// <param name="queries">Q rows of length <paramref name="headDim"/> at stride <paramref name="queryStride"/>.</param>
    /// <param name="queryStride">Row stride of <paramref name="queries"/>.</param>
    /// <param name="contextGradients">∂A rows of length <paramref name="headDim"/> at stride <paramref name="contextStride"/>.</param>
    /// <param name="contextStride">Row stride of <paramref name="contextGradients"/>.</param>
    /// <param name="keyGradients">Receives the ∂K rows (overwritten).</param>
    /// <param name="valueGradients">Receives the ∂V rows (overwritten).</param>
    /// <param name="gradientStride">Row stride of both gradient buffers.</param>
    /// <param name="headDim">Features per row (dh).</param>
    public static void KeyValueGradients(
        ReadOnlySpan<float> scoreGradients, ReadOnlySpan<float> probabilities, int matrixStride, int count, float scale,
        ReadOnlySpan<float> queries, int queryStride, ReadOnlySpan<float> contextGradients, int contextStride,
        Span<float> keyGradients, Span<float> valueGradients, int gradientStride, int headDim)
    {
        if (count <= 0)
        {
            return;
        }

        long matrix = ((long)(count - 1) * matrixStride) + count;
        long gradients = ((long)(count - 1) * gradientStride) + headDim;
        if (matrixStride < count || scoreGradients.Length < matrix || probabilities.Length < matrix
            || queries.Length < ((long)(count - 1) * queryStride) + headDim
            || contextGradients.Length < ((long)(count - 1) * contextStride) + headDim
            || keyGradients.Length < gradients || valueGradients.Length < gradients)
        {
            throw new ArgumentException("Attention gradient buffers are too small.", nameof(keyGradients));
        }

        ref float s0 = ref MemoryMarshal.GetReference(scoreGradients);
        ref float p0 = ref MemoryMarshal.GetReference(probabilities);
        ref float q0 = ref MemoryMarshal.GetReference(queries);
        ref float a0 = ref MemoryMarshal.GetReference(contextGradients);
        ref float k0 = ref MemoryMarshal.GetReference(keyGradients);
        ref float v0 = ref MemoryMarshal.GetReference(valueGradients);
        for (int j = 0; j < count; j++)
        {
            ref float kj = ref Unsafe.Add(ref k0, j * gradientStride);
            ref float vj = ref Unsafe.Add(ref v0, j * gradientStride);
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + 16 <= headDim; c += 16)
                {
                    Vector256<float> dk0 = default, dk1 = default, dv0 = default, dv1 = default;
                    for (int i = j; i < count; i++)
                    {
                        var ks = Vector256.Create(scale * Unsafe.Add(ref s0, (i * matrixStride) + j));
                        var vs = Vector256.Create(Unsafe.Add(ref p0, (i * matrixStride) + j));
                        nuint q = (nuint)((i * queryStride) + c);
                        nuint a = (nuint)((i * contextStride) + c);
                        dk0 = Fma256(ks, Vector256.LoadUnsafe(ref q0, q), dk0);
                        dk1 = Fma256(ks, Vector256.LoadUnsafe(ref q0, q + 8), dk1);
                        dv0 = Fma256(vs, Vector256.LoadUnsafe(ref a0, a), dv0);
                        dv1 = Fma256(vs, Vector256.LoadUnsafe(ref a0, a + 8), dv1);
                    }

                    dk0.StoreUnsafe(ref kj, (nuint)c);
                    dk1.StoreUnsafe(ref kj, (nuint)(c + 8));
                    dv0.StoreUnsafe(ref vj, (nuint)c);
                    dv1.StoreUnsafe(ref vj, (nuint)(c + 8));
                }

                for (; c + 8 <= headDim; c += 8)
                {
                    Vector256<float> dk0 = default, dv0 = default;
                    for (int i = j; i < count; i++)
                    {
                        var ks = Vector256.Create(scale * Unsafe.Add(ref s0, (i * matrixStride) + j));
                        var vs = Vector256.Create(Unsafe.Add(ref p0, (i * matrixStride) + j));
                        dk0 = Fma256(ks, Vector256.LoadUnsafe(ref q0, (nuint)((i * queryStride) + c)), dk0);
                        dv0 = Fma256(vs, Vector256.LoadUnsafe(ref a0, (nuint)((i * contextStride) + c)), dv0);
                    }

                    dk0.StoreUnsafe(ref kj, (nuint)c);
                    dv0.StoreUnsafe(ref vj, (nuint)c);
                }
            }

            for (; c < headDim; c++)
            {
                float dk = 0f, dv = 0f;
                for (int i = j; i < count; i++)
                {
                    dk = MathF.FusedMultiplyAdd(scale * Unsafe.Add(ref s0, (i * matrixStride) + j), Unsafe.Add(ref q0, (i * queryStride) + c), dk);
                    dv = MathF.FusedMultiplyAdd(Unsafe.Add(ref p0, (i * matrixStride) + j), Unsafe.Add(ref a0, (i * contextStride) + c), dv);
                }

                Unsafe.Add(ref kj, c) = dk;
                Unsafe.Add(ref vj, c) = dv;
            }
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
