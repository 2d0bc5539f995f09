using RL3.Core.Randomness;
using RL3.Core.Tasks.Bandits;

namespace RL3.Core.Tests.Tasks.Bandits;

public sealed class BernoulliBanditDistributionTests
{
    private static double[] DrawProbabilities(BernoulliBanditOptions options, int tasks)
    {
        var distribution = new BernoulliBanditDistribution(options);
        var random = new RandomSource(11);
        var p = new List<double>();
        for (int i = 0; i < tasks; i++)
        {
            var task = (BernoulliBanditTask)distribution.Sample(random);
            for (int a = 0; a < task.ArmCount; a++)
            {
                p.Add(task.GetSuccessProbability(a));
            }
        }

        return p.ToArray();
    }

    [Test]
    public void Sample_Uniform_ProbabilitiesInUnitIntervalWithMeanHalfAndVarianceTwelfth()
    {
        double[] p = DrawProbabilities(BernoulliBanditOptions.Default, 4000); // 20 000 arms
        double mean = p.Average();
        double variance = p.Select(x => (x - mean) * (x - mean)).Average();
        Assert.That(p, Has.All.InRange(0.0, 1.0));
        Assert.That(mean, Is.EqualTo(0.5).Within(0.01)); // s.e. 0.002
        Assert.That(variance, Is.EqualTo(1.0 / 12).Within(0.004));
    }

    [Test]
    public void Sample_OutOfDistribution_SomeProbabilitiesOutsideUnitIntervalWithMeanHalfAndStdHalf()
    {
        double[] p = DrawProbabilities(BernoulliBanditOptions.OutOfDistribution, 4000);
        double mean = p.Average();
        double std = Math.Sqrt(p.Select(x => (x - mean) * (x - mean)).Average());
        Assert.That(p.Count(x => x < 0), Is.GreaterThan(0));
        Assert.That(p.Count(x => x > 1), Is.GreaterThan(0));
        Assert.That(p.Count(x => x < 0 || x > 1) / (double)p.Length, Is.EqualTo(0.3173).Within(0.02)); // P(|Z| > 1)
        Assert.That(mean, Is.EqualTo(0.5).Within(0.015));
        Assert.That(std, Is.EqualTo(0.5).Within(0.015));
    }

    [Test]
    public void Properties_Default_MatchPaper()
    {
        var d = new BernoulliBanditDistribution();
        Assert.Multiple(() =>
        {
            Assert.That(d.Name, Is.EqualTo("bandits-k5"));
            Assert.That(d.ActionCount, Is.EqualTo(5));
            Assert.That(d.ObservationSize, Is.EqualTo(2));
            Assert.That(d.StateCount, Is.EqualTo(2));
            Assert.That(d.TaskHorizon, Is.EqualTo(1));
            Assert.That(new BernoulliBanditDistribution(BernoulliBanditOptions.OutOfDistribution).Name, Is.EqualTo("bandits-k5-ood"));
            Assert.That(new BernoulliBanditDistribution(new BernoulliBanditOptions { ArmCount = 3 }).ActionCount, Is.EqualTo(3));
        });
    }

    [Test]
    public void Sample_SameSeed_SameTask()
    {
        var d = new BernoulliBanditDistribution();
        var a = (BernoulliBanditTask)d.Sample(new RandomSource(5));
        var b = (BernoulliBanditTask)d.Sample(new RandomSource(5));
        var c = (BernoulliBanditTask)d.Sample(new RandomSource(6));
        for (int arm = 0; arm < 5; arm++)
        {
            Assert.That(b.GetSuccessProbability(arm), Is.EqualTo(a.GetSuccessProbability(arm)));
        }

        Assert.That(c.GetSuccessProbability(0), Is.Not.EqualTo(a.GetSuccessProbability(0)));
    }

    [TestCase(0)]
    [TestCase(-3)]
    [TestCase(BernoulliBanditOptions.MaxArmCount + 1)]
    public void Constructor_ArmCountOutOfRange_ThrowsNamingParameter(int k)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BernoulliBanditDistribution(new BernoulliBanditOptions { ArmCount = k }));
        Assert.That(e!.ParamName, Is.EqualTo("options.ArmCount"));
        Assert.That(e.Message, Does.Contain("[1, "));
    }

    [Test]
    public void Constructor_UndefinedPrior_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BernoulliBanditDistribution(new BernoulliBanditOptions { Prior = (BanditArmPrior)7 }));
        Assert.That(e!.ParamName, Is.EqualTo("options.Prior"));
    }

    [Test]
    public void Sample_NullRandom_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new BernoulliBanditDistribution().Sample(null!));
    }
}
