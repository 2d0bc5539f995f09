using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Meta;

public sealed class MetaEnvironmentBatchTests
{
    private static MetaEnvironmentBatch Create(int slots, int threads, ulong seed = 99) =>
        new(slots, _ => new MetaEnvironment(
                new ChainDistribution(5, 3, taskHorizon: 7),
                new MetaEnvironmentOptions { InteractionBudget = 40 },
                new RecordingEstimator(3, 5),
                new IdentityIndexer(5)),
            seed,
            threads);

    private static (float[] Observations, double[] Rewards) Run(int threads)
    {
        var batch = Create(64, threads);
        var distribution = new ChainDistribution(5, 3, 7);
        batch.ResetAll(Enumerable.Range(0, 64).Select(i => distribution.Sample(new RandomSource((ulong)i))).ToArray());
        var actions = new int[64];
        var observations = new List<float>();
        var rewards = new List<double>();
        for (int t = 0; t < 40; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = (i + t) % 3 == 2 ? 1 : 0;
            }

            batch.Step(actions);
            observations.AddRange(batch.Observations.ToArray());
            rewards.AddRange(batch.Rewards.ToArray());
        }

        Assert.That(batch.MetaEpisodeEnded.ToArray().All(d => d), Is.True);
        return (observations.ToArray(), rewards.ToArray());
    }

    [Test]
    public void Step_OneThreadAndManyThreads_BitIdentical()
    {
        var sequential = Run(1);
        var parallel = Run(-1);
        var four = Run(4);
        Assert.That(parallel.Observations, Is.EqualTo(sequential.Observations));
        Assert.That(parallel.Rewards, Is.EqualTo(sequential.Rewards));
        Assert.That(four.Rewards, Is.EqualTo(sequential.Rewards));
    }

    [Test]
    public void Step_ParallelSteadyState_AllocatesNothing()
    {
        // Counted over the whole process (the slots step on pool threads too). Other threads of the test host, or the
        // pool starting a thread, may allocate now and then, so the quietest of 20 meta-episodes is what is checked:
        // with a per-step allocation (Parallel.For took about 1.7 KB) every episode would show it.
        var batch = Create(8, 2);
        var distribution = new ChainDistribution(5, 3, 7);
        var tasks = Enumerable.Range(0, 8).Select(i => distribution.Sample(new RandomSource((ulong)i))).ToArray();
        var actions = new int[8];
        batch.ResetAll(tasks);
        for (int t = 0; t < 20; t++)
        {
            batch.Step(actions);
        }

        long quietest = long.MaxValue;
        for (int episode = 0; episode < 20; episode++)
        {
            batch.ResetAll(tasks);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int t = 0; t < 40; t++)
            {
                batch.Step(actions);
            }

            quietest = Math.Min(quietest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.That(quietest, Is.EqualTo(0), "bytes allocated by 40 parallel steps in the quietest meta-episode");
    }

    [Test]
    public void Slots_HaveDistinctRandomStreams()
    {
        var batch = Create(4, 1);
        Assert.That(batch.RandomOf(0).NextUInt64(), Is.Not.EqualTo(batch.RandomOf(1).NextUInt64()));
    }

    [Test]
    public void Step_BadAction_ThrowsBeforeAnySlotMoves()
    {
        var batch = Create(3, 1);
        var distribution = new ChainDistribution(5, 3, 7);
        batch.ResetAll([distribution.Sample(new(1)), distribution.Sample(new(2)), distribution.Sample(new(3))]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => batch.Step([0, 0, 3]));
        Assert.That(ex!.ParamName, Is.EqualTo("actions"));
        Assert.That(batch[0].StepCount, Is.EqualTo(0));
        Assert.Throws<ArgumentException>(() => batch.Step([0, 0]));
    }

    [Test]
    public void RandomStates_RoundTrip()
    {
        var batch = Create(3, 1);
        var saved = batch.GetRandomStates();
        ulong first = batch.RandomOf(2).NextUInt64();
        batch.SetRandomStates(saved);
        Assert.That(batch.RandomOf(2).NextUInt64(), Is.EqualTo(first));
        Assert.Throws<ArgumentException>(() => batch.SetRandomStates(new RandomSourceState[3]));
    }

    [Test]
    public void Constructor_SameEnvironmentTwice_Throws()
    {
        var env = new MetaEnvironment(new ChainDistribution(), new MetaEnvironmentOptions());
        var ex = Assert.Throws<ArgumentException>(() => _ = new MetaEnvironmentBatch(2, _ => env, 1));
        Assert.That(ex!.ParamName, Is.EqualTo("factory"));
    }
}
