using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.RandomMdps;

namespace RL3.Core.Tests.Tasks.RandomMdps;

public sealed class RandomMdpDistributionTests
{
    [Test]
    public void Sample_TransitionRows_AreDistributionsWithMeanOneOverS()
    {
        var d = new RandomMdpDistribution();
        var random = new RandomSource(4);
        var row = new double[10];
        var meanRow = new double[10];
        int rows = 0;
        for (int i = 0; i < 40; i++)
        {
            var mdp = (ITabularMdp)d.Sample(random);
            for (int s = 0; s < 10; s++)
            {
                for (int a = 0; a < 5; a++)
                {
                    mdp.GetTransitionProbabilities(s, a, row);
                    Assert.That(row, Has.All.InRange(0.0, 1.0));
                    Assert.That(row.Sum(), Is.EqualTo(1.0).Within(1e-12));
                    for (int k = 0; k < 10; k++)
                    {
                        meanRow[k] += row[k];
                    }

                    rows++;
                }
            }
        }

        // Dirichlet(1): each component has mean 1/10 and variance (1/10)(9/10)/11.
        double se = Math.Sqrt(0.09 / 11 / rows);
        Assert.That(meanRow.Select(x => x / rows), Has.All.EqualTo(0.1).Within(5 * se));
    }

    [Test]
    public void Sample_OutOfDistribution_RowsAreSparser()
    {
        static double MeanMax(RandomMdpOptions o)
        {
            var d = new RandomMdpDistribution(o);
            var random = new RandomSource(8);
            var row = new double[10];
            double total = 0;
            for (int i = 0; i < 20; i++)
            {
                var mdp = (ITabularMdp)d.Sample(random);
                for (int sa = 0; sa < 50; sa++)
                {
                    mdp.GetTransitionProbabilities(sa / 5, sa % 5, row);
                    total += row.Max();
                }
            }

            return total / 1000;
        }

        Assert.That(MeanMax(RandomMdpOptions.OutOfDistribution), Is.GreaterThan(MeanMax(RandomMdpOptions.Default) + 0.15));
    }

    [Test]
    public void Sample_MeanRewards_HaveMeanOneAndVarianceOne()
    {
        var d = new RandomMdpDistribution();
        var random = new RandomSource(5);
        var r = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            var mdp = (ITabularMdp)d.Sample(random);
            for (int s = 0; s < 10; s++)
            {
                for (int a = 0; a < 5; a++)
                {
                    r.Add(mdp.ExpectedReward(s, a, 0));
                    Assert.That(mdp.ExpectedReward(s, a, 7), Is.EqualTo(r[^1]));
                }
            }
        }

        double mean = r.Average();
        double variance = r.Select(x => (x - mean) * (x - mean)).Average();
        Assert.That(mean, Is.EqualTo(1.0).Within(0.04)); // s.e. 0.01
        Assert.That(variance, Is.EqualTo(1.0).Within(0.06));
    }

    [Test]
    public void Properties_Default_MatchPaper()
    {
        var d = new RandomMdpDistribution();
        Assert.Multiple(() =>
        {
            Assert.That(d.Name, Is.EqualTo("mdp-10x5"));
            Assert.That(new RandomMdpDistribution(RandomMdpOptions.OutOfDistribution).Name, Is.EqualTo("mdp-10x5-ood"));
            Assert.That(d.ActionCount, Is.EqualTo(5));
            Assert.That(d.ObservationSize, Is.EqualTo(10));
            Assert.That(d.StateCount, Is.EqualTo(10));
            Assert.That(d.TaskHorizon, Is.EqualTo(10));
            Assert.That(RandomMdpOptions.OutOfDistribution.DirichletConcentration, Is.EqualTo(0.25));
        });
    }

    [Test]
    public void Constructor_CustomSizes_AreUsed()
    {
        var d = new RandomMdpDistribution(new RandomMdpOptions { StateCount = 3, ActionCount = 2, TaskHorizon = 4 });
        var task = d.Sample(new RandomSource(1));
        Assert.That((task.ActionCount, task.ObservationSize, d.TaskHorizon, d.Name), Is.EqualTo((2, 3, 4, "mdp-3x2")));
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return new TestCaseData(new RandomMdpOptions { StateCount = 0 }, "options.StateCount");
        yield return new TestCaseData(new RandomMdpOptions { ActionCount = 0 }, "options.ActionCount");
        yield return new TestCaseData(new RandomMdpOptions { TaskHorizon = 0 }, "options.TaskHorizon");
        yield return new TestCaseData(new RandomMdpOptions { DirichletConcentration = 0 }, "options.DirichletConcentration");
        yield return new TestCaseData(new RandomMdpOptions { DirichletConcentration = -1 }, "options.DirichletConcentration");
        yield return new TestCaseData(new RandomMdpOptions { DirichletConcentration = double.NaN }, "options.DirichletConcentration");
        yield return new TestCaseData(new RandomMdpOptions { MeanRewardMean = double.NaN }, "options.MeanRewardMean");
        yield return new TestCaseData(new RandomMdpOptions { MeanRewardStandardDeviation = -0.1 }, "options.MeanRewardStandardDeviation");
        yield return new TestCaseData(new RandomMdpOptions { RewardNoiseStandardDeviation = double.PositiveInfinity }, "options.RewardNoiseStandardDeviation");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Constructor_BadOption_ThrowsNamingParameter(RandomMdpOptions options, string paramName)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RandomMdpDistribution(options));
        Assert.That(e!.ParamName, Is.EqualTo(paramName));
    }
}
