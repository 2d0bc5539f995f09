using RL3.Core.Nn;
using RL3.Core.Nn.Optim;
using RL3.Core.Nn.Serialization;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class AdamTests
{
    private static KeyValuePair<string, Parameter> Named(Parameter p) => new(p.Name, p);

    /// <summary>PyTorch-form Adam in double, written out from the formula.</summary>
    private static double[] ReferenceAdam(double[] theta, double[][] grads, double lr, double b1, double b2, double eps, double wd, bool decoupled)
    {
        var th = (double[])theta.Clone();
        var m = new double[th.Length];
        var v = new double[th.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            for (int i = 0; i < th.Length; i++)
            {
                double g = grads[t - 1][i] + (decoupled ? 0 : wd * th[i]);
                m[i] = (b1 * m[i]) + ((1 - b1) * g);
                v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
                if (decoupled)
                {
                    th[i] -= lr * wd * th[i];
                }

                double mhat = m[i] / (1 - Math.Pow(b1, t));
                double vhat = v[i] / (1 - Math.Pow(b2, t));
                th[i] -= lr * mhat / (Math.Sqrt(vhat) + eps);
            }
        }

        return th;
    }

    [Test]
    public void Step_FirstStep_MovesByLearningRateTimesSign()
    {
        // Hand computation: after one step m̂ = g and v̂ = g², so Δθ = −η·g / (|g| + ε).
        using var p = new Parameter("w", 2);
        p.Value.Span[0] = 1f;
        p.Value.Span[1] = -2f;
        p.Gradient.Span[0] = 0.5f;
        p.Gradient.Span[1] = -1f;
        using var adam = new Adam([Named(p)], new AdamOptions { LearningRate = 0.1 });
        adam.Step();
        Assert.That(p.Value.Span[0], Is.EqualTo(1.0 - (0.1 * 0.5 / (0.5 + 1e-7))).Within(1e-6));
        Assert.That(p.Value.Span[1], Is.EqualTo(-2.0 + (0.1 * 1.0 / (1.0 + 1e-7))).Within(1e-6));
        Assert.That(adam.StepCount, Is.EqualTo(1));
    }

    [Test]
    public void Step_SeveralSteps_MatchesDoubleReference([Values(0.0, 0.01)] double wd, [Values(false, true)] bool decoupled)
    {
        double[] theta = [0.3, -1.2, 2.5, 0.0, -0.7, 1.1, 0.05, -3.0, 0.9, 0.4, -0.2];
        double[][] grads =
        [
            [0.1, -0.2, 0.3, 0.05, -1.0, 0.0, 2.0, -0.5, 0.25, 0.7, -0.01],
            [0.2, 0.1, -0.3, 0.0, -0.5, 0.3, 1.0, -0.4, 0.2, -0.7, 0.02],
            [-0.1, 0.05, 0.1, 0.2, 0.5, -0.3, 0.5, 0.1, -0.2, 0.3, 0.0],
        ];
        using var p = new Parameter("w", theta.Length);
        for (int i = 0; i < theta.Length; i++)
        {
            p.Value.Span[i] = (float)theta[i];
        }

        var options = new AdamOptions { LearningRate = 0.01, WeightDecay = wd, WeightDecayMode = decoupled ? WeightDecayMode.Decoupled : WeightDecayMode.CoupledL2 };
        using var adam = new Adam([Named(p)], options);
        foreach (var g in grads)
        {
            for (int i = 0; i < g.Length; i++)
            {
                p.Gradient.Span[i] = (float)g[i];
            }

            adam.Step();
        }

        var expected = ReferenceAdam(theta, grads, 0.01, 0.9, 0.999, 1e-7, wd, decoupled);
        Assert.That(p.Value.Span.ToArray(), Is.EqualTo(expected.Select(x => (float)x).ToArray()).Within(2e-6));
    }

    [Test]
    public void Step_ParameterWithoutWeightDecay_IsNotDecayed()
    {
        using var p = new Parameter("b", 1) { WeightDecay = false };
        p.Value.Span[0] = 5f;
        using var adam = new Adam([Named(p)], new AdamOptions { WeightDecay = 0.5, WeightDecayMode = WeightDecayMode.Decoupled, LearningRate = 0.1 });
        adam.Step(); // zero gradient, no decay: unchanged
        Assert.That(p.Value.Span[0], Is.EqualTo(5f));
    }

    [Test]
    public void SaveStateLoadState_RoundTrip_ContinuesIdentically()
    {
        using var p1 = new Parameter("w", 3);
        using var p2 = new Parameter("w", 3);
        using var a1 = new Adam([Named(p1)]);
        using var a2 = new Adam([Named(p2)]);
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                p1.Gradient.Span[i] = (step + 1) * (i - 1) * 0.3f;
            }

            a1.Step();
        }

        var archive = new TensorArchive();
        a1.SaveState(archive);
        var restored = TensorArchive.FromBytes(archive.ToBytes());
        a2.LoadState(restored);
        p1.Value.CopyTo(p2.Value);
        p1.Gradient.Fill(0.7f);
        p2.Gradient.Fill(0.7f);
        a1.Step();
        a2.Step();
        Assert.That(a2.StepCount, Is.EqualTo(4));
        Assert.That(p2.Value.Span.ToArray(), Is.EqualTo(p1.Value.Span.ToArray()));
    }

    [Test]
    public void LoadState_WrongShape_ThrowsAndLeavesStateUnchanged()
    {
        using var small = new Parameter("w", 2);
        using var big = new Parameter("w", 3);
        using var a = new Adam([Named(small)]);
        using var b = new Adam([Named(big)]);
        a.Step();
        var archive = new TensorArchive();
        a.SaveState(archive);
        var ex = Assert.Throws<InvalidDataException>(() => b.LoadState(archive));
        Assert.That(ex!.Message, Does.Contain("adam.m.w"));
        Assert.That(b.StepCount, Is.EqualTo(0));
    }

    [Test]
    public void Constructor_BadOption_ThrowsNamingIt()
    {
        using var p = new Parameter("w", 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([Named(p)], new AdamOptions { Beta2 = 1.0 }));
        Assert.That(ex!.ParamName, Is.EqualTo("Beta2"));
    }
}
