using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

public sealed class CategoricalHeadTests
{
    [Test]
    public void Backward_MatchesFiniteDifferences()
    {
        var rng = new RandomSource(9);
        const int Rows = 4, A = 5;
        var z = new float[Rows * A];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = (float)(3 * (rng.NextDouble() - 0.5));
        }

        int[] actions = [0, 4, 2, 2];
        float[] gl = [0.7f, -1.3f, 0.2f, 1.1f];
        float[] gh = [-0.4f, 0.9f, 1.5f, -0.2f];
        var dz = new float[z.Length];
        CategoricalHead.Backward(z, A, actions, gl, gh, dz);

        var lp = new float[Rows];
        var h = new float[Rows];
        double Loss()
        {
            CategoricalHead.Evaluate(z, A, actions, lp, h);
            double s = 0;
            for (int r = 0; r < Rows; r++)
            {
                s += (gl[r] * lp[r]) + (gh[r] * h[r]);
            }

            return s;
        }

        FiniteDifferences.Check("logits", z.Length, i => ref z[i], dz, Loss, rng, samples: 20, h: 1e-3, rtol: 1e-2, atol: 1e-3);
    }

    [Test]
    public void Evaluate_UniformLogits_GiveLogAEntropyAndLogProbability()
    {
        var z = new float[6];
        var lp = new float[2];
        var h = new float[2];
        CategoricalHead.Evaluate(z, 3, [0, 2], lp, h);
        Assert.That(lp, Is.All.EqualTo(-MathF.Log(3)).Within(1e-6f));
        Assert.That(h, Is.All.EqualTo(MathF.Log(3)).Within(1e-6f));
    }

    [Test]
    public void Select_Greedy_PicksArgMaxWithoutRandomness()
    {
        float[] z = [0.1f, 2f, -1f, 5f, 5f, 0f];
        var a = new int[2];
        var lp = new float[2];
        CategoricalHead.Select(z, 3, null, a, lp);
        Assert.That(a, Is.EqualTo(new[] { 1, 0 }));
    }

    [Test]
    public void Select_Sample_FrequenciesMatchSoftmax()
    {
        float[] z = [0f, MathF.Log(3f)];
        var rng = new RandomSource(4);
        var a = new int[1];
        var lp = new float[1];
        int ones = 0;
        const int N = 20000;
        for (int i = 0; i < N; i++)
        {
            CategoricalHead.Select(z, 2, rng, a, lp);
            ones += a[0];
        }

        Assert.That(ones / (double)N, Is.EqualTo(0.75).Within(0.015));
    }

    [Test]
    public void Evaluate_ActionOutOfRange_ThrowsNamingTakenActions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CategoricalHead.Evaluate(new float[3], 3, [3], new float[1], new float[1]));
        Assert.That(e!.ParamName, Is.EqualTo("takenActions"));
    }
}
