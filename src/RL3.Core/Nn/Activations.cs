using System.Numerics;
using System.Numerics.Tensors;

namespace RL3.Core.Nn;

/// <summary>
/// Span-in / span-out element-wise kernels for activations and their derivatives, shared by the modules
/// and available to custom layers (sequence modules use them on their gate buffers).
/// </summary>
public static class Activations
{
    /// <summary>√(2/π), the constant of the tanh form of GELU.</summary>
    public const float GeluScale = 0.7978845608028654f;

    /// <summary>The cubic coefficient of the tanh form of GELU.</summary>
    public const float GeluCubic = 0.044715f;

    /// <summary><c>y = max(x, 0)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may alias <paramref name="x"/>).</param>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(x.Length, y.Length, nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary><c>dx = y &gt; 0 ? dy : 0</c> where <paramref name="y"/> is the ReLU output (or input).</summary>
    /// <param name="y">The forward output (or input) of the ReLU.</param>
    /// <param name="dy">The output gradient.</param>
    /// <param name="dx">The input gradient (may alias <paramref name="dy"/>).</param>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y.Length, dy.Length, nameof(dy));
        CheckLengths(y.Length, dx.Length, nameof(dx));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; i + w <= y.Length; i += w)
            {
                var yv = new Vector<float>(y.Slice(i, w));
                var gv = new Vector<float>(dy.Slice(i, w));
                Vector.ConditionalSelect(Vector.GreaterThan(yv, Vector<float>.Zero), gv, Vector<float>.Zero).CopyTo(dx.Slice(i, w));
            }
        }

        for (; i < y.Length; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    /// <summary>
    /// GELU, tanh form: <c>y = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>; also stores the tanh term for the backward pass.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="tanhTerm">Receives <c>tanh(√(2/π)·(x + 0.044715·x³))</c> (needed by <see cref="GeluBackward"/>).</param>
    /// <param name="y">The output (may not alias <paramref name="x"/>; may alias nothing else either).</param>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> tanhTerm, Span<float> y)
    {
        CheckLengths(x.Length, tanhTerm.Length, nameof(tanhTerm));
        CheckLengths(x.Length, y.Length, nameof(y));

        // u = √(2/π)·(x + c·x³) = √(2/π)·x·(1 + c·x²)
        TensorPrimitives.Multiply(x, x, tanhTerm);
        TensorPrimitives.Multiply(tanhTerm, GeluCubic, tanhTerm);
        TensorPrimitives.Add(tanhTerm, 1f, tanhTerm);
        TensorPrimitives.Multiply(tanhTerm, x, tanhTerm);
        TensorPrimitives.Multiply(tanhTerm, GeluScale, tanhTerm);
        TensorPrimitives.Tanh(tanhTerm, tanhTerm);

        // y = ½·x·(1 + t)
        TensorPrimitives.Add(tanhTerm, 1f, y);
        TensorPrimitives.Multiply(y, x, y);
        TensorPrimitives.Multiply(y, 0.5f, y);
    }

    /// <summary>
    /// Input gradient of the tanh-form GELU:
    /// <c>dx = dy·(½(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))</c>.
    /// </summary>
    /// <param name="x">The forward input.</param>
    /// <param name="tanhTerm">The tanh term stored by <see cref="Gelu"/>.</param>
    /// <param name="dy">The output gradient.</param>
    /// <param name="dx">The input gradient (may alias <paramref name="dy"/>).</param>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> tanhTerm, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(x.Length, tanhTerm.Length, nameof(tanhTerm));
        CheckLengths(x.Length, dy.Length, nameof(dy));
        CheckLengths(x.Length, dx.Length, nameof(dx));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var half = new Vector<float>(0.5f);
            var one = Vector<float>.One;
            var s = new Vector<float>(GeluScale);
            var c3 = new Vector<float>(3f * GeluCubic);
            for (; i + w <= x.Length; i += w)
            {
                var xv = new Vector<float>(x.Slice(i, w));
                var t = new Vector<float>(tanhTerm.Slice(i, w));
                var g = new Vector<float>(dy.Slice(i, w));
                var d = (half * (one + t)) + (half * xv * (one - (t * t)) * s * (one + (c3 * xv * xv)));
                (g * d).CopyTo(dx.Slice(i, w));
            }
        }

        for (; i < x.Length; i++)
        {
            float xv = x[i];
            float t = tanhTerm[i];
            float d = (0.5f * (1f + t)) + (0.5f * xv * (1f - (t * t)) * GeluScale * (1f + (3f * GeluCubic * xv * xv)));
            dx[i] = dy[i] * d;
        }
    }

    private static void CheckLengths(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{name} has length {actual} but {expected} is required.", name);
        }
    }
}
