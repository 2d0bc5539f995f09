using RL3.Core.Nn;
using RL3.Core.Nn.Optim;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class GradientClippingTests
{
    [Test]
    public void ClipByGlobalNorm_AboveMax_ScalesToMaxNorm()
    {
        using var a = new Parameter("a", 2);
        using var b = new Parameter("b", 1);
        a.Gradient.Span[0] = 3f;
        a.Gradient.Span[1] = 0f;
        b.Gradient.Span[0] = 4f; // global norm 5
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 1.0);
        Assert.That(norm, Is.EqualTo(5.0).Within(1e-9));
        Assert.That(a.Gradient.Span[0], Is.EqualTo(0.6f).Within(1e-6));
        Assert.That(b.Gradient.Span[0], Is.EqualTo(0.8f).Within(1e-6));
        Assert.That(GradientClipping.GlobalNorm([a, b]), Is.EqualTo(1.0).Within(1e-5));
    }

    [Test]
    public void ClipByGlobalNorm_BelowMax_LeavesGradientsUnchanged()
    {
        using var a = new Parameter("a", 2);
        a.Gradient.Span[0] = 0.3f;
        a.Gradient.Span[1] = -0.4f;
        double norm = GradientClipping.ClipByGlobalNorm([a], 1.0);
        Assert.That(norm, Is.EqualTo(0.5).Within(1e-7));
        Assert.That(a.Gradient.Span.ToArray(), Is.EqualTo(new[] { 0.3f, -0.4f }));
    }

    [Test]
    public void ClipByGlobalNorm_NonPositiveMax_Throws()
    {
        using var a = new Parameter("a", 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([a], 0));
        Assert.That(ex!.ParamName, Is.EqualTo("maxNorm"));
    }
}
