using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.Bandits;

namespace RL3.Core.Tests.Tasks.Bandits;

public sealed class BernoulliBanditTaskTests
{
    [Test]
    public void Step_ManyPulls_PayFrequencyMatchesProbabilityAndUnclippedExtremes()
    {
        var task = new BernoulliBanditTask([0.3, -0.2, 1.4]);
        var random = new RandomSource(3);
        var obs = new float[2];
        const int n = 20_000;
        var paid = new int[3];
        for (int arm = 0; arm < 3; arm++)
        {
            for (int i = 0; i < n; i++)
            {
                task.Reset(random, obs);
                paid[arm] += (int)task.Step(arm, obs).Reward;
            }
        }

        Assert.That(paid[0] / (double)n, Is.EqualTo(0.3).Within(0.013)); // 4 s.e.
        Assert.That(paid[1], Is.Zero);
        Assert.That(paid[2], Is.EqualTo(n));
    }

    [Test]
    public void Step_Pull_TerminatesInAbsorbingPulledState()
    {
        var task = new BernoulliBanditTask([0.5, 0.5]);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        Assert.That(obs, Is.EqualTo(new[] { 1f, 0f }));
        Assert.That(task.StateIndex, Is.Zero);
        var step = task.Step(1, obs);
        Assert.Multiple(() =>
        {
            Assert.That(step.Terminated, Is.True);
            Assert.That(step.Truncated, Is.False);
            Assert.That(obs, Is.EqualTo(new[] { 0f, 1f }));
            Assert.That(task.StateIndex, Is.EqualTo(1));
            Assert.That(task.IsAbsorbing(task.CurrentMdpState), Is.True);
        });
        Assert.Throws<InvalidOperationException>(() => task.Step(0, obs));
    }

    [Test]
    public void TabularMdp_Rows_SumToOneAndRewardIsClampedProbability()
    {
        ITabularMdp mdp = new BernoulliBanditTask([0.25, -0.5, 1.5]);
        var row = new double[2];
        for (int s = 0; s < 2; s++)
        {
            for (int a = 0; a < 3; a++)
            {
                mdp.GetTransitionProbabilities(s, a, row);
                Assert.That(row.Sum(), Is.EqualTo(1.0));
                Assert.That(row[1], Is.EqualTo(1.0));
            }
        }

        Assert.That(mdp.ExpectedReward(0, 0, 1), Is.EqualTo(0.25));
        Assert.That(mdp.ExpectedReward(0, 1, 1), Is.EqualTo(0.0));
        Assert.That(mdp.ExpectedReward(0, 2, 1), Is.EqualTo(1.0));
        Assert.That(mdp.ExpectedReward(1, 0, 1), Is.EqualTo(0.0));
        Assert.That(mdp.IsAbsorbing(0), Is.False);
    }

    [Test]
    public void Step_ActionOutOfRange_ThrowsAndLeavesStateUnchanged()
    {
        var task = new BernoulliBanditTask([0.5, 0.5]);
        var random = new RandomSource(9);
        var obs = new float[2];
        task.Reset(random, obs);
        var randomBefore = random.GetState();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(2, obs));
        Assert.That(e!.ParamName, Is.EqualTo("action"));
        Assert.That(e.Message, Does.Contain("[0, 1]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(-1, obs));
        Assert.Multiple(() =>
        {
            Assert.That(obs, Is.EqualTo(new[] { 1f, 0f }));
            Assert.That(task.StateIndex, Is.Zero);
            Assert.That(random.GetState(), Is.EqualTo(randomBefore));
        });
        Assert.That(task.Step(0, obs).Terminated, Is.True); // the episode is still running
    }

    [Test]
    public void StepAndReset_WrongObservationLength_Throw()
    {
        var task = new BernoulliBanditTask([0.5]);
        Assert.Throws<ArgumentException>(() => task.Reset(new RandomSource(1), new float[3]));
        task.Reset(new RandomSource(1), new float[2]);
        var e = Assert.Throws<ArgumentException>(() => task.Step(0, new float[1]));
        Assert.That(e!.ParamName, Is.EqualTo("observation"));
        Assert.That(task.Step(0, new float[2]).Terminated, Is.True);
    }

    [Test]
    public void Step_BeforeReset_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new BernoulliBanditTask([0.5]).Step(0, new float[2]));
    }

    [Test]
    public void Constructor_BadProbabilities_Throw()
    {
        Assert.Throws<ArgumentException>(() => _ = new BernoulliBanditTask([]));
        Assert.Throws<ArgumentException>(() => _ = new BernoulliBanditTask([0.5, double.NaN]));
    }

    [Test]
    public void ResetAndStep_SteadyState_AllocateNothing()
    {
        var task = new BernoulliBanditDistribution().Sample(new RandomSource(1));
        Assert.That(TaskTestHelpers.AllocatedBytesWhileStepping(task, 10_000), Is.Zero);
    }

    [Test]
    public void Render_DescribesArms()
    {
        Assert.That(new BernoulliBanditTask([0.25, 0.75]).Render(), Does.Contain("arm 1: p = 0.750"));
    }
}
