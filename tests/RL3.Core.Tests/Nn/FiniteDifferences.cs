using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

/// <summary>
/// Central finite-difference checks for the sequence modules and the policies. The loss is whatever
/// <c>loss()</c> computes (accumulated in double); each sampled element x is perturbed by ±h and
/// <c>(L₊ − L₋)/(x₊ − x₋)</c> is compared with the analytic gradient:
/// <c>|num − ana| ≤ rtol·max(|num|, |ana|) + atol</c> (tolerances for float32 forward passes).
/// </summary>
internal static class FiniteDifferences
{
    public delegate ref float ElementRef(int index);

    public static void Check(
        string what, int length, ElementRef element, ReadOnlySpan<float> analytic, Func<double> loss, RandomSource rng,
        int samples = 24, double h = 1e-2, double rtol = 3e-2, double atol = 3e-3)
    {
        Assert.That(analytic.Length, Is.EqualTo(length), $"gradient of {what} has the wrong length");
        var a = analytic.ToArray();
        int count = Math.Min(samples, length);
        for (int s = 0; s < count; s++)
        {
            int i = length <= samples ? s : rng.NextInt(length);
            ref float x = ref element(i);
            float original = x;
            float plus = (float)(original + h);
            float minus = (float)(original - h);
            x = plus;
            double lp = loss();
            x = minus;
            double lm = loss();
            x = original;
            double numeric = (lp - lm) / ((double)plus - minus);
            double tol = (rtol * Math.Max(Math.Abs(numeric), Math.Abs(a[i]))) + atol;
            Assert.That(Math.Abs(numeric - a[i]), Is.LessThanOrEqualTo(tol), $"{what}[{i}]: numeric {numeric:G6}, analytic {a[i]:G6}");
        }
    }

    /// <summary>
    /// Checks a module's input and parameter gradients for the loss <c>L = Σ w ⊙ forward(input)</c> with random w.
    /// </summary>
    public static void CheckModule(Module module, NnTensor input, Func<NnTensor, NnTensor> forward, ulong seed, int samples = 24, double h = 1e-2, double rtol = 3e-2, double atol = 3e-3)
    {
        var rng = new RandomSource(seed);
        var output = forward(input);
        var w = new double[output.Length];
        using var dy = new NnTensor(output.Shape);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (2 * rng.NextDouble()) - 1;
            dy.Span[i] = (float)w[i];
        }

        module.ZeroGrad();
        var dx = module.Backward(dy).Span.ToArray();
        var named = module.NamedParameters().ToList();
        var grads = named.Select(p => p.Value.Gradient.Span.ToArray()).ToList();

        double Loss()
        {
            var y = forward(input).Span;
            double s = 0;
            for (int i = 0; i < y.Length; i++)
            {
                s += w[i] * y[i];
            }

            return s;
        }

        Check("input", input.Length, i => ref input.Span[i], dx, Loss, rng, samples, h, rtol, atol);
        for (int p = 0; p < named.Count; p++)
        {
            var param = named[p].Value;
            Check(named[p].Key, param.Length, i => ref param.Value.Span[i], grads[p], Loss, rng, samples, h, rtol, atol);
        }
    }

    public static NnTensor RandomTensor(RandomSource rng, float scale, params int[] shape)
    {
        var t = new NnTensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (float)(scale * ((2 * rng.NextDouble()) - 1));
        }

        return t;
    }
}
