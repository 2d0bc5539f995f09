using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class ExactMatchStateIndexerTests
{
    [Test]
    public void GetOrAdd_RoundTrip_RowsInFirstVisitOrder()
    {
        var indexer = new ExactMatchStateIndexer(2, 200);
        Assert.That(indexer.FixedStateCount, Is.EqualTo(0));
        var rows = new Dictionary<(int, int), int>();
        int expectedNext = 0;
        for (int step = 0; step < 500; step++)
        {
            int r = (step * 7) % 13, c = (step * 5) % 11;
            float[] obs = [r / 13f, c / 13f];
            int row = indexer.GetOrAdd(-1, obs);
            if (rows.TryGetValue((r, c), out int known))
            {
                Assert.That(row, Is.EqualTo(known));
            }
            else
            {
                Assert.That(row, Is.EqualTo(expectedNext++));
                rows[(r, c)] = row;
            }
        }

        Assert.That(indexer.Count, Is.EqualTo(rows.Count));
        indexer.Reset();
        Assert.That(indexer.Count, Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.5f, 0.25f]), Is.EqualTo(0));
    }

    [Test]
    public void GetOrAdd_NegativeZero_EqualsPositiveZero()
    {
        var indexer = new ExactMatchStateIndexer(2, 4);
        Assert.That(indexer.GetOrAdd(-1, [0f, 1f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [-0f, 1f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [1e-30f, 1f]), Is.EqualTo(1));
    }

    [Test]
    public void GetOrAdd_Full_ThrowsInvalidOperation()
    {
        var indexer = new ExactMatchStateIndexer(1, 2);
        indexer.GetOrAdd(-1, [1f]);
        indexer.GetOrAdd(-1, [2f]);
        Assert.That(indexer.GetOrAdd(-1, [1f]), Is.EqualTo(0));
        Assert.Throws<InvalidOperationException>(() => indexer.GetOrAdd(-1, [3f]));
    }

    [Test]
    public void GetOrAdd_BadObservation_ThrowsNamingParameter()
    {
        var indexer = new ExactMatchStateIndexer(2, 4);
        var ex = Assert.Throws<ArgumentException>(() => indexer.GetOrAdd(-1, [1f]));
        Assert.That(ex!.ParamName, Is.EqualTo("observation"));
        Assert.That(ex.Message, Does.Contain("length 2"));
        Assert.Throws<ArgumentException>(() => indexer.GetOrAdd(-1, [float.NaN, 0f]));
        Assert.Throws<ArgumentException>(() => indexer.GetOrAdd(-1, [float.PositiveInfinity, 0f]));
        Assert.That(indexer.Count, Is.EqualTo(0));
    }

    [Test]
    public void GetOrAdd_AfterWarmUp_AllocatesNothing()
    {
        var indexer = new ExactMatchStateIndexer(2, 169);
        var observations = new float[169][];
        for (int i = 0; i < 169; i++)
        {
            observations[i] = [(i / 13) / 13f, (i % 13) / 13f];
        }

        var log = new long[6];
        for (int round = 0; round < log.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            indexer.Reset();
            for (int k = 0; k < 1000; k++)
            {
                indexer.GetOrAdd(-1, observations[(k * 31) % 169]);
            }

            log[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.That(log, Is.All.EqualTo(0));
    }
}
