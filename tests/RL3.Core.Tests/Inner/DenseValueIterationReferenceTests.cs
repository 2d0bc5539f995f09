using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class DenseValueIterationReferenceTests
{
    [Test]
    public void Observe_TwoStateMdp_MatchesClosedForm()
    {
        // Same MDP as ModelBasedValueIterationTests: the reference itself is checked against the closed form.
        var dense = new DenseValueIterationReference(2, 2, new ModelBasedValueIterationOptions
        {
            Gamma = 0.9, Epsilon = 1e-13, MaxSweeps = 100_000, LaplaceSmoothing = 0,
        });
        dense.Reset(2);
        dense.Observe(new InnerTransition(0, 0, 1.0, 1, false, true));
        dense.Observe(new InnerTransition(0, 1, 0.5, 0, false, false));
        dense.Observe(new InnerTransition(1, 0, 0.0, 0, false, false));
        var q = new double[2];
        var se = new double[2];
        var n = new double[2];
        Assert.That(dense.Estimate(0, q, se, n).Value, Is.EqualTo(1 / 0.19).Within(1e-9));
        Assert.That(q[1], Is.EqualTo(0.5 + (0.9 / 0.19)).Within(1e-9));
        dense.Estimate(1, q, se, n);
        Assert.That(q, Is.EqualTo(new[] { 0.9 / 0.19, 4.5 }).Within(1e-9));
    }

    [Test]
    public void Observe_SmoothedModelOneSweep_MatchesHandComputation()
    {
        var dense = new DenseValueIterationReference(2, 1, new ModelBasedValueIterationOptions
        {
            Gamma = 0.5, Epsilon = 0, MaxSweeps = 1, LaplaceSmoothing = 0.1, StandardErrors = true,
        });
        dense.Reset(2);
        dense.Observe(new InnerTransition(0, 0, 1.0, 1, false, true));
        dense.Observe(new InnerTransition(0, 0, 4.0, 1, false, false));
        dense.Observe(new InnerTransition(0, 0, 2.0, 0, false, false));
        var q = new double[1];
        var se = new double[1];
        var n = new double[1];
        dense.Estimate(0, q, se, n);
        Assert.That(q[0], Is.EqualTo(2.328125).Within(1e-12));
        Assert.That(se[0], Is.EqualTo(1.4278826551762316).Within(1e-12));
        dense.Estimate(1, q, se, n);
        Assert.That(se[0], Is.EqualTo(Math.Sqrt(2.0 / 3)).Within(1e-12));
    }
}
