using RL3.Core.Inner;

namespace RL3.Core.Tests.Inner;

public sealed class DirectStateIndexerTests
{
    [Test]
    public void GetOrAdd_StateIndex_ReturnsItself()
    {
        var indexer = new DirectStateIndexer(10);
        Assert.That(indexer.FixedStateCount, Is.EqualTo(10));
        Assert.That(indexer.Count, Is.EqualTo(10));
        Assert.That(indexer.Capacity, Is.EqualTo(10));
        Assert.That(indexer.GetOrAdd(7, ReadOnlySpan<float>.Empty), Is.EqualTo(7));
        Assert.That(indexer.GetOrAdd(0, new float[10]), Is.EqualTo(0));
    }

    [Test]
    public void GetOrAdd_OutOfRange_ThrowsNamingRange()
    {
        var indexer = new DirectStateIndexer(10);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => indexer.GetOrAdd(10, ReadOnlySpan<float>.Empty));
        Assert.That(ex!.ParamName, Is.EqualTo("stateIndex"));
        Assert.That(ex.Message, Does.Contain("[0, 10)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => indexer.GetOrAdd(-1, ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DirectStateIndexer(0));
    }
}
