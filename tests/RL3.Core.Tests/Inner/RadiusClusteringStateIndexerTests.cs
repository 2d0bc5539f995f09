using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class RadiusClusteringStateIndexerTests
{
    [Test]
    public void GetOrAdd_WithinRadius_JoinsUntilClusterIsFull()
    {
        var indexer = new RadiusClusteringStateIndexer(2, 10, radius: 0.08);
        Assert.That(indexer.MaxClusterSize, Is.EqualTo(2));
        Assert.That(indexer.GetOrAdd(-1, [0f, 0f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.05f, 0f]), Is.EqualTo(0), "within ρ of row 0's member");
        Assert.That(indexer.ClusterSize(0), Is.EqualTo(2));
        Assert.That(indexer.GetOrAdd(-1, [0.02f, 0f]), Is.EqualTo(1), "row 0 is full");
        Assert.That(indexer.GetOrAdd(-1, [0.5f, 0.5f]), Is.EqualTo(2), "farther than ρ from everything");
        Assert.That(indexer.GetOrAdd(-1, [0.05f, 0f]), Is.EqualTo(0), "exact revisit");
        Assert.That(indexer.GetOrAdd(-1, [0.02f, 0f]), Is.EqualTo(1), "exact revisit");
        Assert.That(indexer.Count, Is.EqualTo(3));
    }

    [Test]
    public void GetOrAdd_SeveralCandidates_JoinsNearest()
    {
        var indexer = new RadiusClusteringStateIndexer(2, 10, radius: 0.1);
        Assert.That(indexer.GetOrAdd(-1, [0.5f, 0f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.65f, 0f]), Is.EqualTo(1));
        Assert.That(indexer.GetOrAdd(-1, [0.59f, 0f]), Is.EqualTo(1), "0.06 from row 1, 0.09 from row 0");
        Assert.That(indexer.GetOrAdd(-1, [0.56f, 0f]), Is.EqualTo(0), "row 1 full; row 0's member is 0.06 away");
    }

    [Test]
    public void GetOrAdd_BeyondRadius_NewRow()
    {
        var indexer = new RadiusClusteringStateIndexer(2, 10, radius: 0.08);
        indexer.GetOrAdd(-1, [0f, 0f]);
        Assert.That(indexer.GetOrAdd(-1, [0.06f, 0.06f]), Is.EqualTo(1), "distance 0.0849 > 0.08");
    }

    [Test]
    public void GetOrAdd_ClusterSizeOne_IsExactMatching()
    {
        var indexer = new RadiusClusteringStateIndexer(1, 10, radius: 1.0, maxClusterSize: 1);
        Assert.That(indexer.GetOrAdd(-1, [0f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.01f]), Is.EqualTo(1));
        Assert.That(indexer.GetOrAdd(-1, [0f]), Is.EqualTo(0));
    }

    [Test]
    public void GetOrAdd_LargerClusters_FillUpToCap()
    {
        var indexer = new RadiusClusteringStateIndexer(1, 10, radius: 0.5, maxClusterSize: 3);
        Assert.That(indexer.GetOrAdd(-1, [0f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.1f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.2f]), Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [0.3f]), Is.EqualTo(1));
        Assert.That(indexer.ClusterSize(0), Is.EqualTo(3));
    }

    [Test]
    public void Reset_ForgetsRows()
    {
        var indexer = new RadiusClusteringStateIndexer(1, 2, radius: 0.1);
        indexer.GetOrAdd(-1, [0f]);
        indexer.GetOrAdd(-1, [1f]);
        Assert.Throws<InvalidOperationException>(() => indexer.GetOrAdd(-1, [2f]));
        Assert.That(indexer.GetOrAdd(-1, [1.05f]), Is.EqualTo(1), "joining needs no new row");
        indexer.Reset();
        Assert.That(indexer.Count, Is.EqualTo(0));
        Assert.That(indexer.GetOrAdd(-1, [2f]), Is.EqualTo(0));
    }

    [Test]
    public void Constructor_BadArguments_ThrowNamingParameter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RadiusClusteringStateIndexer(2, 10, -0.1));
        Assert.That(ex!.ParamName, Is.EqualTo("radius"));
        Assert.That(ex.Message, Does.Contain("[0, ∞)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RadiusClusteringStateIndexer(2, 10, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RadiusClusteringStateIndexer(2, 10, 0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RadiusClusteringStateIndexer(0, 10, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RadiusClusteringStateIndexer(2, 0, 0.1));
        Assert.Throws<ArgumentException>(() => new RadiusClusteringStateIndexer(2, 10, 0.1).GetOrAdd(-1, [0f]));
    }

    [Test]
    public void GetOrAdd_AfterWarmUp_AllocatesNothing()
    {
        var indexer = new RadiusClusteringStateIndexer(2, 169, radius: 0.08);
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
