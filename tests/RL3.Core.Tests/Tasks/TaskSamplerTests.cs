using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.Bandits;

namespace RL3.Core.Tests.Tasks;

public sealed class TaskSamplerTests
{
    private static double FirstArm(ITask task) => ((BernoulliBanditTask)task).GetSuccessProbability(0);

    [Test]
    public void GetTaskSeed_TrainingAndTest_NeverCoincide()
    {
        var seeds = new HashSet<ulong>();
        for (long i = 0; i < 20_000; i++)
        {
            Assert.That(seeds.Add(TaskSampler.GetTaskSeed(42, TaskSplit.Training, i)), Is.True);
        }

        for (long i = 0; i < 20_000; i++)
        {
            Assert.That(seeds.Add(TaskSampler.GetTaskSeed(42, TaskSplit.Test, i)), Is.True, $"test seed {i} equals another seed");
        }
    }

    [Test]
    public void Next_SameBaseSeed_SameTasksAndSplitsDiffer()
    {
        var d = new BernoulliBanditDistribution();
        var a = new TaskSampler(d, 7, TaskSplit.Training);
        var b = new TaskSampler(d, 7, TaskSplit.Training);
        var test = new TaskSampler(d, 7, TaskSplit.Test);
        var other = new TaskSampler(d, 8, TaskSplit.Training);
        for (int i = 0; i < 20; i++)
        {
            double x = FirstArm(a.Next());
            Assert.That(FirstArm(b.Next()), Is.EqualTo(x));
            Assert.That(FirstArm(test.Next()), Is.Not.EqualTo(x));
            Assert.That(FirstArm(other.Next()), Is.Not.EqualTo(x));
        }

        Assert.That(a.Position, Is.EqualTo(20));
    }

    [Test]
    public void Seek_SavedPosition_RestoresSequence()
    {
        var d = new BernoulliBanditDistribution();
        var sampler = new TaskSampler(d, 3, TaskSplit.Test);
        for (int i = 0; i < 5; i++)
        {
            sampler.Next();
        }

        long saved = sampler.Position;
        var expected = Enumerable.Range(0, 5).Select(_ => FirstArm(sampler.Next())).ToArray();
        sampler.Seek(saved);
        Assert.That(Enumerable.Range(0, 5).Select(_ => FirstArm(sampler.Next())), Is.EqualTo(expected));
        var resumed = new TaskSampler(d, 3, TaskSplit.Test, saved);
        Assert.That(FirstArm(resumed.Next()), Is.EqualTo(expected[0]));
    }

    [Test]
    public void SampleAtAndSampleRange_MatchNextWithoutMoving()
    {
        var d = new BernoulliBanditDistribution();
        var sampler = new TaskSampler(d, 11, TaskSplit.Training);
        var range = sampler.SampleRange(0, 4).Select(FirstArm).ToArray();
        Assert.That(FirstArm(sampler.SampleAt(2)), Is.EqualTo(range[2]));
        Assert.That(sampler.Position, Is.Zero);
        Assert.That(Enumerable.Range(0, 4).Select(_ => FirstArm(sampler.Next())), Is.EqualTo(range));
        Assert.That(FirstArm(sampler.SampleAt(0)), Is.EqualTo(FirstArm(d.Sample(new RandomSource(TaskSampler.GetTaskSeed(11, TaskSplit.Training, 0))))));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        var d = new BernoulliBanditDistribution();
        Assert.Throws<ArgumentNullException>(() => _ = new TaskSampler(null!, 1, TaskSplit.Training));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TaskSampler(d, 1, (TaskSplit)2));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TaskSampler(d, 1, TaskSplit.Test, -1));
        var sampler = new TaskSampler(d, 1, TaskSplit.Test, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Seek(-1));
        Assert.That(sampler.Position, Is.EqualTo(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskSampler.GetTaskSeed(1, TaskSplit.Training, -5));
    }
}
