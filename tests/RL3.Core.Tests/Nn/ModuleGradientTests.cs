using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class ModuleGradientTests
{
    private static NnTensor RandomTensor(RandomSource rng, float minAbs, params int[] shape)
    {
        var t = new NnTensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            float v = (float)((2 * rng.NextDouble()) - 1) * 1.5f;
            s[i] = MathF.Abs(v) < minAbs ? (v < 0 ? -minAbs : minAbs) + v : v;
        }

        return t;
    }

    private static void Randomise(Module module, RandomSource rng)
    {
        foreach (var p in module.Parameters())
        {
            var s = p.Value.Span;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] += (float)((rng.NextDouble() - 0.5) * 0.5);
            }
        }
    }

    [Test]
    public void Linear_Gradients_MatchFiniteDifferences([Values(true, false)] bool bias)
    {
        var rng = new RandomSource(1);
        using var layer = new Linear(7, 5, rng, bias);
        Randomise(layer, rng);
        using var x = RandomTensor(rng, 0, 6, 7);
        GradientCheck.CheckModule(layer, x, 10);
    }

    [Test]
    public void Linear_Rank3Input_KeepsLeadingDimsAndMatchesFiniteDifferences()
    {
        var rng = new RandomSource(2);
        using var layer = new Linear(4, 3, rng);
        using var x = RandomTensor(rng, 0, 2, 5, 4);
        var y = layer.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 5, 3 }));
        GradientCheck.CheckModule(layer, x, 11);
    }

    [Test]
    public void Relu_Gradients_MatchFiniteDifferences()
    {
        var rng = new RandomSource(3);
        using var m = new Relu();
        using var x = RandomTensor(rng, 0.05f, 4, 9);
        GradientCheck.CheckModule(m, x, 12);
    }

    [Test]
    public void Gelu_Gradients_MatchFiniteDifferences()
    {
        var rng = new RandomSource(4);
        using var m = new Gelu();
        using var x = RandomTensor(rng, 0, 5, 11);
        GradientCheck.CheckModule(m, x, 13);
    }

    [Test]
    public void Gelu_Forward_MatchesTanhFormula()
    {
        using var m = new Gelu();
        float[] xs = [-3f, -1f, -0.1f, 0f, 0.5f, 2f, 6f];
        using var x = NnTensor.FromValues(xs, 1, xs.Length);
        var y = m.Forward(x).Span;
        for (int i = 0; i < xs.Length; i++)
        {
            double v = xs[i];
            double expected = 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + (0.044715 * v * v * v))));
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + (1e-6 * Math.Abs(expected))));
        }
    }

    [Test]
    public void LayerNorm_Gradients_MatchFiniteDifferences()
    {
        var rng = new RandomSource(5);
        using var m = new LayerNorm(8);
        Randomise(m, rng);
        using var x = RandomTensor(rng, 0, 3, 8);
        GradientCheck.CheckModule(m, x, 14, new GradientCheck.Options(H: 5e-3));
    }

    [Test]
    public void LayerNorm_Forward_NormalisesEachRow()
    {
        var rng = new RandomSource(6);
        using var m = new LayerNorm(16);
        using var x = RandomTensor(rng, 0, 4, 16);
        var y = m.Forward(x);
        for (int r = 0; r < 4; r++)
        {
            var row = y.Row(r);
            double mean = 0, sq = 0;
            foreach (float v in row)
            {
                mean += v;
                sq += v * v;
            }

            mean /= 16;
            Assert.That(mean, Is.EqualTo(0).Within(1e-6));
            Assert.That((sq / 16) - (mean * mean), Is.EqualTo(1).Within(1e-3));
        }
    }

    [Test]
    public void Sequential_Gradients_MatchFiniteDifferences()
    {
        var rng = new RandomSource(7);
        using var net = new Sequential(new Linear(6, 10, rng), new Relu(), new LayerNorm(10), new Linear(10, 8, rng), new Gelu(), new Linear(8, 3, rng));
        Randomise(net, rng);
        using var x = RandomTensor(rng, 0, 5, 6);
        GradientCheck.CheckModule(net, x, 15, new GradientCheck.Options(H: 5e-3, MaxElementsPerTensor: 24));
        Assert.That(net.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "0.weight", "0.bias", "2.gamma", "2.beta", "3.weight", "3.bias", "5.weight", "5.bias" }));
    }

    [Test]
    public void Backward_CalledTwice_AccumulatesParameterGradients()
    {
        var rng = new RandomSource(8);
        using var layer = new Linear(3, 2, rng);
        using var x = RandomTensor(rng, 0, 4, 3);
        using var dy = RandomTensor(rng, 0, 4, 2);
        layer.Forward(x);
        layer.Backward(dy);
        var once = layer.Weight.Gradient.Span.ToArray();
        layer.Backward(dy);
        var twice = layer.Weight.Gradient.Span.ToArray();
        Assert.That(twice, Is.EqualTo(once.Select(v => 2 * v).ToArray()).Within(1e-6));
        layer.ZeroGrad();
        Assert.That(layer.Weight.Gradient.Span.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void Linear_WrongInputFeatures_ThrowsNamingInputAndShapes()
    {
        using var layer = new Linear(17, 4, new RandomSource(9));
        using var x = new NnTensor(2, 16);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(x));
        Assert.That(ex!.ParamName, Is.EqualTo("input"));
        Assert.That(ex.Message, Does.Contain("17").And.Contain("[2, 16]"));
    }

    [Test]
    public void Backward_WrongGradientShape_ThrowsNamingOutputGradient()
    {
        using var layer = new LayerNorm(4);
        using var x = new NnTensor(3, 4);
        layer.Forward(x);
        using var dy = new NnTensor(2, 4);
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(dy));
        Assert.That(ex!.ParamName, Is.EqualTo("outputGradient"));
    }

    [Test]
    public void Backward_BeforeForward_Throws()
    {
        using var layer = new Gelu();
        using var dy = new NnTensor(2, 4);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(dy));
    }

    [Test]
    public void Linear_Init_IsGlorotUniformWithZeroBiasAndDeterministic()
    {
        using var a = new Linear(30, 20, new RandomSource(5));
        using var b = new Linear(30, 20, new RandomSource(5));
        double limit = Math.Sqrt(6.0 / 50);
        Assert.That(a.Weight.Value.Span.ToArray(), Is.All.InRange(-limit, limit));
        Assert.That(a.Weight.Value.Span.ToArray(), Is.EqualTo(b.Weight.Value.Span.ToArray()));
        Assert.That(a.Bias!.Value.Span.ToArray(), Is.All.EqualTo(0f));
        using var ln = new LayerNorm(5);
        Assert.That(ln.Gamma.Value.Span.ToArray(), Is.All.EqualTo(1f));
        Assert.That(ln.Beta.Value.Span.ToArray(), Is.All.EqualTo(0f));
    }
}
