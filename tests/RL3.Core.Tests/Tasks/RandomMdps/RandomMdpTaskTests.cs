using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.RandomMdps;

namespace RL3.Core.Tests.Tasks.RandomMdps;

public sealed class RandomMdpTaskTests
{
    private static RandomMdpTask Sample(ulong seed) => (RandomMdpTask)new RandomMdpDistribution().Sample(new RandomSource(seed));

    [Test]
    public void Step_Rewards_AreMeanRewardPlusUnitNoise()
    {
        var task = Sample(1);
        var random = new RandomSource(2);
        var actions = new RandomSource(3);
        var obs = new float[10];
        var noise = new List<double>();
        task.Reset(random, obs);
        for (int i = 0; i < 20_000; i++)
        {
            int s = task.StateIndex;
            int a = actions.NextInt(5);
            var step = task.Step(a, obs);
            noise.Add(step.Reward - task.GetMeanReward(s, a));
            if (step.EpisodeEnded)
            {
                task.Reset(random, obs);
            }
        }

        double mean = noise.Average();
        double variance = noise.Select(x => (x - mean) * (x - mean)).Average();
        Assert.That(mean, Is.EqualTo(0.0).Within(0.03));
        Assert.That(variance, Is.EqualTo(1.0).Within(0.05));
    }

    [Test]
    public void Step_NextStates_FollowTransitionProbabilities()
    {
        var task = Sample(7);
        var random = new RandomSource(8);
        var obs = new float[10];
        var expected = new double[10];
        task.GetTransitionProbabilities(0, 2, expected);
        var counts = new int[10];
        const int n = 20_000;
        for (int i = 0; i < n; i++)
        {
            task.Reset(random, obs);
            task.Step(2, obs);
            counts[task.StateIndex]++;
            Assert.That(obs[task.StateIndex], Is.EqualTo(1f));
            Assert.That(obs.Sum(), Is.EqualTo(1f));
        }

        for (int k = 0; k < 10; k++)
        {
            double se = Math.Sqrt(expected[k] * (1 - expected[k]) / n);
            Assert.That(counts[k] / (double)n, Is.EqualTo(expected[k]).Within(5 * se + 1e-9), $"state {k}");
        }
    }

    [Test]
    public void Step_TaskHorizon_TruncatesOnTenthStepAndStartsInStateZero()
    {
        var task = Sample(3);
        var obs = new float[10];
        var random = new RandomSource(4);
        for (int episode = 0; episode < 3; episode++)
        {
            task.Reset(random, obs);
            Assert.That(task.StateIndex, Is.Zero);
            Assert.That(obs[0], Is.EqualTo(1f));
            for (int t = 1; t <= 10; t++)
            {
                var step = task.Step(t % 5, obs);
                Assert.That(step.Terminated, Is.False);
                Assert.That(step.Truncated, Is.EqualTo(t == 10), $"step {t}");
            }

            Assert.Throws<InvalidOperationException>(() => task.Step(0, obs));
        }
    }

    [Test]
    public void Step_ActionOutOfRange_ThrowsAndLeavesStateUnchanged()
    {
        var task = Sample(5);
        var reference = TaskTestHelpers.Trajectory(Sample(5), 1, 2, 50);
        var obs = new float[10];
        var random = new RandomSource(1);
        task.Reset(random, obs);
        var before = (float[])obs.Clone();
        var randomBefore = random.GetState();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(5, obs));
        Assert.That(e!.Message, Does.Contain("[0, 4]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(-1, obs));
        Assert.That(obs, Is.EqualTo(before));
        Assert.That(random.GetState(), Is.EqualTo(randomBefore));
        Assert.That(task.EpisodeStep, Is.Zero);
        Assert.That(TaskTestHelpers.Trajectory(task, 1, 2, 50), Is.EqualTo(reference));
    }

    [Test]
    public void TabularMdp_BadArguments_Throw()
    {
        ITabularMdp mdp = Sample(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => mdp.GetTransitionProbabilities(10, 0, new double[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => mdp.GetTransitionProbabilities(0, 5, new double[10]));
        Assert.Throws<ArgumentException>(() => mdp.GetTransitionProbabilities(0, 0, new double[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => mdp.ExpectedReward(0, 0, -1));
        Assert.That(mdp.IsAbsorbing(3), Is.False);
    }

    [Test]
    public void ResetAndStep_SteadyState_AllocateNothing()
    {
        Assert.That(TaskTestHelpers.AllocatedBytesWhileStepping(Sample(2), 10_000), Is.Zero);
    }

    [Test]
    public void Trajectory_SameSeeds_Identical()
    {
        Assert.That(TaskTestHelpers.Trajectory(Sample(9), 3, 4, 200), Is.EqualTo(TaskTestHelpers.Trajectory(Sample(9), 3, 4, 200)));
        Assert.That(TaskTestHelpers.Trajectory(Sample(9), 3, 4, 200), Is.Not.EqualTo(TaskTestHelpers.Trajectory(Sample(10), 3, 4, 200)));
    }

    [Test]
    public void Render_ShowsSizes()
    {
        Assert.That(Sample(1).Render(), Does.StartWith("Random MDP, 10 states x 5 actions"));
    }
}
