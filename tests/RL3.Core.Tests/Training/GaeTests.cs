using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class GaeTests
{
    [Test]
    public void Compute_MatchesHandComputation()
    {
        // r = [1, 0, 2], V = [0.5, 0.2, 0.4, 9], term only at the last step, γ = 0.9, λ = 0.5.
        // δ3 = 2 + 0 − 0.4 = 1.6                  A3 = 1.6
        // δ2 = 0 + 0.9·0.4 − 0.2 = 0.16           A2 = 0.16 + 0.45·1.6 = 0.88
        // δ1 = 1 + 0.9·0.2 − 0.5 = 0.68           A1 = 0.68 + 0.45·0.88 = 1.076
        var advantages = new float[3];
        var returns = new float[3];
        Gae.Compute([1f, 0f, 2f], [0.5f, 0.2f, 0.4f, 9f], [false, false, true], 0.9, 0.5, advantages, returns);
        Assert.That(advantages, Is.EqualTo(new[] { 1.076f, 0.88f, 1.6f }).Within(1e-6));
        Assert.That(returns, Is.EqualTo(new[] { 1.576f, 1.08f, 2.0f }).Within(1e-6));
    }

    [Test]
    public void Compute_LambdaOne_IsDiscountedReturnMinusValue()
    {
        var advantages = new float[3];
        var returns = new float[3];
        Gae.Compute([1f, 2f, 3f], [0f, 0f, 0f, 0f], [false, false, true], 0.5, 1.0, advantages, returns);
        Assert.That(returns, Is.EqualTo(new[] { 1 + 0.5f * 2 + 0.25f * 3, 2 + 0.5f * 3, 3f }).Within(1e-6));
    }

    [Test]
    public void Compute_NoTerminal_Bootstraps()
    {
        var advantages = new float[1];
        var returns = new float[1];
        Gae.Compute([1f], [0f, 10f], [false], 0.9, 0.3, advantages, returns);
        Assert.That(advantages[0], Is.EqualTo(10f).Within(1e-6));
    }

    [Test]
    public void Compute_BadLengthsOrRanges_Throw()
    {
        var a = new float[2];
        var r = new float[2];
        Assert.That(Assert.Throws<ArgumentException>(() => Gae.Compute([1f, 1f], [0f, 0f], [false, true], 0.9, 0.3, a, r))!.ParamName, Is.EqualTo("values"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Gae.Compute([1f, 1f], [0f, 0f, 0f], [false, true], 1.5, 0.3, a, r))!.ParamName, Is.EqualTo("gamma"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Gae.Compute([1f, 1f], [0f, 0f, 0f], [false, true], 0.9, -0.1, a, r))!.ParamName, Is.EqualTo("lambda"));
    }
}
