using RL3.Core.Parallelism;

namespace RL3.Core.Tests.Parallelism;

public sealed class ForkJoinTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    public void Run_ManyTimes_RunsEveryPartExactlyOncePerRun(int parts)
    {
        var counts = new int[parts];
        var forkJoin = new ForkJoin(parts, p => Interlocked.Increment(ref counts[p]));
        for (int run = 1; run <= 2000; run++)
        {
            forkJoin.Run();
            Assert.That(counts, Is.All.EqualTo(run), $"after run {run}");
        }
    }

    [Test]
    public void Run_SlowPart_WaitsForIt()
    {
        int finished = 0;
        var forkJoin = new ForkJoin(3, p =>
        {
            if (p == 2)
            {
                Thread.Sleep(50);
            }

            Interlocked.Increment(ref finished);
        });
        forkJoin.Run();
        Assert.That(finished, Is.EqualTo(3));
    }

    [Test]
    public void Run_PartThrows_RethrowsAfterAllPartsAndStaysUsable()
    {
        int finished = 0;
        bool fail = true;
        var forkJoin = new ForkJoin(4, p =>
        {
            if (fail && p == 1)
            {
                throw new InvalidOperationException("part 1 failed");
            }

            Interlocked.Increment(ref finished);
        });

        var ex = Assert.Throws<InvalidOperationException>(forkJoin.Run);
        Assert.That(ex!.Message, Is.EqualTo("part 1 failed"));
        Assert.That(finished, Is.EqualTo(3), "the other parts still ran");
        fail = false;
        forkJoin.Run();
        Assert.That(finished, Is.EqualTo(7));
    }

    [Test]
    public void Run_SteadyState_AllocatesNothingPerRunOnTheCallingThread()
    {
        // The quietest of 10 batches of 200 runs must allocate nothing (a one-off lazily created wait object may land
        // in one batch); Parallel.For takes about 1.7 KB per call, so any per-run allocation would show in every batch.
        long sum = 0;
        var forkJoin = new ForkJoin(2, p => Interlocked.Add(ref sum, p + 1));
        for (int i = 0; i < 100; i++)
        {
            forkJoin.Run();
        }

        long quietest = long.MaxValue;
        for (int batch = 0; batch < 10; batch++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                forkJoin.Run();
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(quietest, Is.EqualTo(0));
        Assert.That(sum, Is.EqualTo(2100 * 3));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ForkJoin(0, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new ForkJoin(2, null!));
    }
}
