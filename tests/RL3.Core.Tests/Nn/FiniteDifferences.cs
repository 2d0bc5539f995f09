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

    /// <remarks>
    /// With <paramref name="skipKinks"/>, an element whose one-sided differences disagree (a ReLU or max kink inside
    /// [x − h, x + h]) is skipped; at most a third of the sampled elements may be skipped.
    /// </remarks>
    public static void Check(
        string what, int length, ElementRef element, ReadOnlySpan<float> analytic, Func<double> loss, RandomSource rng,
        int samples = 24, double h = 1e-2, double rtol = 3e-2, double atol = 3e-3, bool skipKinks = false)
    {
        int skipped = 0;
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
            if (skipKinks && Math.Abs(numeric - a[i]) > tol)
            {
                double l0 = loss();
                double forward = (lp - l0) / ((double)plus - original);
                double backward = (l0 - lm) / ((double)original - minus);
                if (Math.Abs(forward - backward) > (0.5 * rtol * Math.Max(Math.Abs(forward), Math.Abs(backward))) + (4 * atol))
                {
                    skipped++;
                    continue;
                }
            }

            Assert.That(Math.Abs(numeric - a[i]), Is.LessThanOrEqualTo(tol), $"{what}[{i}]: numeric {numeric:G6}, analytic {a[i]:G6}");
        }

        Assert.That(skipped, Is.LessThanOrEqualTo(Math.Max(1, count / 3)), $"{what}: too many elements sit on a kink");
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
