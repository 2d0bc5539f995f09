using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

/// <summary>
/// Finite-difference gradient checks for modules. The loss is a fixed random linear functional of the
/// output, <c>L = Σ w ⊙ y</c> (accumulated in double), so <c>∂L/∂y = w</c> is what <c>Backward</c> receives.
/// Each checked element is perturbed by ±h and the central difference <c>(L₊ − L₋) / (x₊ − x₋)</c>
/// (the denominator as actually representable in float32) is compared with the analytic gradient:
/// <c>|num − ana| ≤ rtol·max(|num|, |ana|) + atol</c>.
/// </summary>
internal static class GradientCheck
{
    public sealed record Options(double H = 1e-2, double RelativeTolerance = 2e-2, double AbsoluteTolerance = 2e-3, int MaxElementsPerTensor = 48);

    public static void CheckModule(Module module, NnTensor input, ulong seed, Options? options = null)
    {
        options ??= new Options();
        var rng = new RandomSource(seed);

        // Analytic gradients.
        var output = module.Forward(input);
        var w = new double[output.Length];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (2 * rng.NextDouble()) - 1;
        }

        using var dy = new NnTensor(output.Shape);
        for (int i = 0; i < w.Length; i++)
        {
            dy.Span[i] = (float)w[i];
        }

        module.ZeroGrad();
        var dx = module.Backward(dy).Span.ToArray();
        var named = module.NamedParameters().ToList();
        var paramGrads = named.Select(p => p.Value.Gradient.Span.ToArray()).ToList();

        double Loss()
        {
            var y = module.Forward(input).Span;
            double s = 0;
            for (int i = 0; i < y.Length; i++)
            {
                s += w[i] * y[i];
            }

            return s;
        }

        Compare("input", input.Span.Length, i => ref input.Span[i], dx, Loss, rng, options);
        for (int p = 0; p < named.Count; p++)
        {
            var param = named[p].Value;
            Compare(named[p].Key, param.Length, i => ref param.Value.Span[i], paramGrads[p], Loss, rng, options);
        }
    }

    private delegate ref float ElementRef(int index);

    private static void Compare(string what, int length, ElementRef element, float[] analytic, Func<double> loss, RandomSource rng, Options o)
    {
        Assert.That(analytic, Has.Length.EqualTo(length), $"gradient of {what} has the wrong length");
        IEnumerable<int> indices = length <= o.MaxElementsPerTensor
            ? Enumerable.Range(0, length)
            : Enumerable.Range(0, o.MaxElementsPerTensor).Select(_ => rng.NextInt(length));
        foreach (int i in indices)
        {
            ref float x = ref element(i);
            float original = x;
            float plus = (float)(original + o.H);
            float minus = (float)(original - o.H);
            x = plus;
            double lp = loss();
            x = minus;
            double lm = loss();
            x = original;
            double numeric = (lp - lm) / ((double)plus - minus);
            double a = analytic[i];
            double bound = (o.RelativeTolerance * Math.Max(Math.Abs(numeric), Math.Abs(a))) + o.AbsoluteTolerance;
            if (!(Math.Abs(numeric - a) <= bound))
            {
                Assert.Fail($"Gradient of {what}[{i}]: analytic {a:G6}, finite difference {numeric:G6} (|diff| {Math.Abs(numeric - a):G3} > {bound:G3}).");
            }
        }
    }
}
