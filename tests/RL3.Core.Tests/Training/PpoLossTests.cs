using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class PpoLossTests
{
    [Test]
    public void Compute_MatchesHandComputation()
    {
        // Token 0: ρ = e^{0.1} ≈ 1.10517 within [0.8, 1.2], A = 2 → unclipped, term 2.21034.
        // Token 1: ρ = e^{0.5} ≈ 1.64872 > 1.2, A = 1 → clipped term 1.2 (no gradient).
        // Token 2: ρ = e^{−0.5} ≈ 0.60653 < 0.8, A = −1 → min(−0.60653, −0.8) = −0.8 (clipped, no gradient).
        float[] logp = [0.1f, 0.5f, -0.5f];
        float[] old = [0f, 0f, 0f];
        float[] adv = [2f, 1f, -1f];
        float[] ent = [1f, 1.5f, 0.5f];
        float[] values = [1f, 2f, 3f];
        float[] returns = [1.5f, 2f, 2f];
        var gLogp = new float[3];
        var gEnt = new float[3];
        var gV = new float[3];
        var stats = PpoLoss.Compute(logp, old, adv, ent, values, returns, 0.2, 0.5, 0.01, true, gLogp, gEnt, gV);

        double r0 = Math.Exp(0.1), r1 = Math.Exp(0.5), r2 = Math.Exp(-0.5);
        double policyLoss = -(r0 * 2 + 1.2 - 0.8) / 3;
        double valueLoss = (0.25 + 0 + 1) / 3;
        Assert.That(stats.PolicyLoss, Is.EqualTo(policyLoss).Within(1e-6));
        Assert.That(stats.ValueLoss, Is.EqualTo(valueLoss).Within(1e-6));
        Assert.That(stats.Entropy, Is.EqualTo(1.0).Within(1e-6));
        Assert.That(stats.ClipFraction, Is.EqualTo(2.0 / 3));
        Assert.That(stats.ApproxKl, Is.EqualTo(((r0 - 1 - 0.1) + (r1 - 1 - 0.5) + (r2 - 1 + 0.5)) / 3).Within(1e-6));
        Assert.That(stats.TotalLoss, Is.EqualTo(policyLoss + 0.5 * valueLoss - 0.01 * 1.0).Within(1e-6));
        Assert.That(gLogp, Is.EqualTo(new[] { (float)(-r0 * 2 / 3), 0f, 0f }).Within(1e-6));
        Assert.That(gEnt, Is.EqualTo(new[] { -0.01f / 3, -0.01f / 3, -0.01f / 3 }).Within(1e-7));
        Assert.That(gV, Is.EqualTo(new[] { 2 * 0.5f * -0.5f / 3, 0f, 2 * 0.5f * 1f / 3 }).Within(1e-6));
    }

    [Test]
    public void Compute_GradientMatchesFiniteDifference()
    {
        float[] logp = [0.05f, -0.02f, 0.1f, -0.15f];
        float[] old = [0f, 0f, 0f, 0f];
        float[] adv = [1.3f, -0.7f, 0.4f, 2.0f];
        float[] ent = [1f, 1f, 1f, 1f];
        float[] values = [0.3f, -0.2f, 0.5f, 1f];
        float[] returns = [0f, 0f, 1f, 1f];
        var g = new float[4];
        var ge = new float[4];
        var gv = new float[4];
        PpoLoss.Compute(logp, old, adv, ent, values, returns, 0.2, 0.5, 0.0, true, g, ge, gv);
        for (int i = 0; i < 4; i++)
        {
            const float h = 1e-3f;
            double Loss(float delta)
            {
                var l = (float[])logp.Clone();
                l[i] += delta;
                return PpoLoss.Compute(l, old, adv, ent, values, returns, 0.2, 0.5, 0.0, true, new float[4], new float[4], new float[4]).TotalLoss;
            }

            double numeric = (Loss(h) - Loss(-h)) / (2 * h);
            Assert.That(g[i], Is.EqualTo(numeric).Within(1e-4), $"token {i}");
        }
    }

    [Test]
    public void Compute_ActorFrozen_OnlyCriticGradients()
    {
        var g = new float[1];
        var ge = new float[1];
        var gv = new float[1];
        var stats = PpoLoss.Compute([0.1f], [0f], [1f], [1f], [2f], [1f], 0.2, 0.5, 0.1, false, g, ge, gv);
        Assert.That(g[0], Is.EqualTo(0));
        Assert.That(ge[0], Is.EqualTo(0));
        Assert.That(gv[0], Is.EqualTo(1f));
        Assert.That(stats.TotalLoss, Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void NormalizeAdvantages_GivesZeroMeanUnitStd()
    {
        float[] a = [1f, 2f, 3f, 4f];
        PpoLoss.NormalizeAdvantages(a);
        Assert.That(a.Average(), Is.EqualTo(0).Within(1e-6));
        Assert.That(Math.Sqrt(a.Select(x => (double)x * x).Average()), Is.EqualTo(1).Within(1e-6));
    }

    [Test]
    public void Compute_BadInput_Throws()
    {
        var g = new float[1];
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => PpoLoss.Compute([0f], [0f], [1f], [1f], [1f], [1f], 1.5, 0.5, 0.1, true, g, g, g))!.ParamName, Is.EqualTo("clipEpsilon"));
        Assert.Throws<ArgumentException>(() => PpoLoss.Compute([0f, 0f], [0f], [1f], [1f], [1f], [1f], 0.2, 0.5, 0.1, true, g, g, g));
        Assert.Throws<ArgumentException>(() => PpoLoss.Compute([], [], [], [], [], [], 0.2, 0.5, 0.1, true, [], [], []));
    }
}
