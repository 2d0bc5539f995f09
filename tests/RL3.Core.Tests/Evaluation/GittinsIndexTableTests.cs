using RL3.Core.Evaluation.Baselines;

namespace RL3.Core.Tests.Evaluation;

public sealed class GittinsIndexTableTests
{
    private static readonly GittinsIndexTable Table12 = GittinsIndexTable.Compute(12, maxDegreeOfParallelism: 1);

    [Test]
    public void GetIndex_OnePullLeft_IsPosteriorMean()
    {
        for (int s = 0; s <= 5; s++)
        {
            for (int f = 0; f <= 5; f++)
            {
                Assert.That(Table12.GetIndex(s, f, 1), Is.EqualTo((s + 1.0) / (s + f + 2.0)).Within(1e-15));
            }
        }
    }

    [Test]
    public void GetIndex_MatchesBruteForceCalibrationByBisection()
    {
        // Independent reference: the full optimal-stopping DP W(s,f,r;λ) = max(rλ, p(1 + W(s+1,f,r−1)) + (1−p) W(s,f+1,r−1)),
        // and bisection on λ for the indifference point of retiring now and pulling once more.
        for (int r = 1; r <= 8; r++)
        {
            for (int s = 0; s + r <= 12 && s <= 3; s++)
            {
                for (int f = 0; s + f + r <= 12 && f <= 3; f++)
                {
                    double reference = BruteForceIndex(s, f, r);
                    Assert.That(Table12.GetIndex(s, f, r), Is.EqualTo(reference).Within(1e-9), $"s={s} f={f} r={r}");
                }
            }
        }
    }

    [Test]
    public void GetIndex_HasKnownQualitativeProperties()
    {
        var table = GittinsIndexTable.Compute(30);
        for (int r = 1; r <= 30; r++)
        {
            for (int n = 0; n + r <= 30; n++)
            {
                for (int s = 0; s <= n; s++)
                {
                    int f = n - s;
                    double index = table.GetIndex(s, f, r);
                    double mean = (s + 1.0) / (n + 2.0);
                    Assert.That(index, Is.GreaterThanOrEqualTo(mean - 1e-15).And.LessThan(1.0));
                    if (r >= 2)
                    {
                        Assert.That(index, Is.GreaterThanOrEqualTo(table.GetIndex(s, f, r - 1) - 1e-15), "non-decreasing in remaining pulls");
                    }

                    if (s + f + 1 + r <= 30)
                    {
                        Assert.That(table.GetIndex(s + 1, f, r), Is.GreaterThan(index), "increasing in successes");
                        Assert.That(table.GetIndex(s, f + 1, r), Is.LessThan(index), "decreasing in failures");
                    }
                }
            }
        }

        // Exploration bonus: a fresh arm with many pulls left is worth more than its mean 0.5.
        Assert.That(table.GetIndex(0, 0, 30), Is.GreaterThan(0.6));
    }

    [Test]
    public void Compute_IsIdenticalForAnyThreadCount()
    {
        var one = GittinsIndexTable.Compute(40, maxDegreeOfParallelism: 1);
        var many = GittinsIndexTable.Compute(40, maxDegreeOfParallelism: 4);
        for (int r = 1; r <= 40; r++)
        {
            for (int s = 0; s + r <= 40; s++)
            {
                for (int f = 0; s + f + r <= 40; f++)
                {
                    Assert.That(many.GetIndex(s, f, r), Is.EqualTo(one.GetIndex(s, f, r)));
                }
            }
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(6)]
    public void IndexPolicy_TwoArms_IsNearBayesOptimal(int horizon)
    {
        var table = GittinsIndexTable.Compute(horizon);
        var optimal = new Dictionary<(int, int, int, int, int), double>();
        var gittins = new Dictionary<(int, int, int, int, int), double>();
        double bayes = BayesOptimal(0, 0, 0, 0, horizon, optimal);
        double index = GittinsPolicyValue(table, 0, 0, 0, 0, horizon, gittins);

        Assert.That(index, Is.LessThanOrEqualTo(bayes + 1e-12));
        Assert.That(index, Is.GreaterThanOrEqualTo(bayes * 0.995), $"Gittins {index} vs Bayes-optimal {bayes}");
        if (horizon <= 2)
        {
            Assert.That(index, Is.EqualTo(bayes).Within(1e-12));
        }
    }

    [Test]
    public void IndexPolicy_OneArmedBandit_DecidesLikeBayesOptimal()
    {
        // An unknown Beta arm against a known arm paying λ: switching to the known arm teaches nothing, so it is
        // retirement. The Bayes-optimal first choice is the unknown arm iff λ < index.
        const int r = 6;
        double index = Table12.GetIndex(1, 2, r);
        foreach (double delta in new[] { -1e-3, 1e-3 })
        {
            double lambda = index + delta;
            double pullUnknown = OneArmedContinue(1, 2, r, lambda);
            double pullKnown = r * lambda;
            Assert.That(pullUnknown > pullKnown, Is.EqualTo(delta < 0), $"λ = index {(delta < 0 ? "−" : "+")} 1e-3");
        }
    }

    [Test]
    public void Compute_BadArguments_Throw()
    {
        Assert.That(() => GittinsIndexTable.Compute(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("horizon"));
        Assert.That(() => GittinsIndexTable.Compute(5, priorSuccesses: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("priorSuccesses"));
        Assert.That(() => Table12.GetIndex(5, 5, 3), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => Table12.GetIndex(0, 0, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private static double BruteForceIndex(int s, int f, int r)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 100; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (OneArmedContinue(s, f, r, mid) > r * mid)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    // Value of pulling once more, then acting optimally (retire for λ per step, or pull).
    private static double OneArmedContinue(int s, int f, int r, double lambda)
    {
        double p = (s + 1.0) / (s + f + 2.0);
        return p * (1 + Retire(s + 1, f, r - 1, lambda)) + (1 - p) * Retire(s, f + 1, r - 1, lambda);
    }

    private static double Retire(int s, int f, int r, double lambda) =>
        r == 0 ? 0 : Math.Max(r * lambda, OneArmedContinue(s, f, r, lambda));

    private static double BayesOptimal(int s1, int f1, int s2, int f2, int r, Dictionary<(int, int, int, int, int), double> memo)
    {
        if (r == 0)
        {
            return 0;
        }

        if (memo.TryGetValue((s1, f1, s2, f2, r), out double v))
        {
            return v;
        }

        double p1 = (s1 + 1.0) / (s1 + f1 + 2.0), p2 = (s2 + 1.0) / (s2 + f2 + 2.0);
        double q1 = p1 * (1 + BayesOptimal(s1 + 1, f1, s2, f2, r - 1, memo)) + (1 - p1) * BayesOptimal(s1, f1 + 1, s2, f2, r - 1, memo);
        double q2 = p2 * (1 + BayesOptimal(s1, f1, s2 + 1, f2, r - 1, memo)) + (1 - p2) * BayesOptimal(s1, f1, s2, f2 + 1, r - 1, memo);
        v = Math.Max(q1, q2);
        memo[(s1, f1, s2, f2, r)] = v;
        return v;
    }

    private static double GittinsPolicyValue(GittinsIndexTable table, int s1, int f1, int s2, int f2, int r, Dictionary<(int, int, int, int, int), double> memo)
    {
        if (r == 0)
        {
            return 0;
        }

        if (memo.TryGetValue((s1, f1, s2, f2, r), out double v))
        {
            return v;
        }

        double p1 = (s1 + 1.0) / (s1 + f1 + 2.0), p2 = (s2 + 1.0) / (s2 + f2 + 2.0);
        double q1 = p1 * (1 + GittinsPolicyValue(table, s1 + 1, f1, s2, f2, r - 1, memo)) + (1 - p1) * GittinsPolicyValue(table, s1, f1 + 1, s2, f2, r - 1, memo);
        double q2 = p2 * (1 + GittinsPolicyValue(table, s1, f1, s2 + 1, f2, r - 1, memo)) + (1 - p2) * GittinsPolicyValue(table, s1, f1, s2, f2 + 1, r - 1, memo);
        double g1 = table.GetIndex(s1, f1, r), g2 = table.GetIndex(s2, f2, r);
        v = g1 > g2 ? q1 : g2 > g1 ? q2 : 0.5 * (q1 + q2); // ties broken uniformly at random
        memo[(s1, f1, s2, f2, r)] = v;
        return v;
    }
}
