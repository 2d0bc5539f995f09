using RL3.Core.Nn;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class NnTensorTests
{
    [Test]
    public void Constructor_Shape_SetsRowsColumnsAndZeroes()
    {
        using var t = new NnTensor(2, 3, 4);
        Assert.That(t.Rank, Is.EqualTo(3));
        Assert.That(t.Length, Is.EqualTo(24));
        Assert.That(t.Rows, Is.EqualTo(6));
        Assert.That(t.Columns, Is.EqualTo(4));
        Assert.That(t.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(t.Span.ToArray(), Is.All.EqualTo(0f));
        Assert.That(t.Dim(-1), Is.EqualTo(4));
    }

    [Test]
    public void Constructor_BadRank_Throws()
    {
        Assert.Throws<ArgumentException>(() => _ = new NnTensor(1, 2, 3, 4, 5));
        Assert.Throws<ArgumentException>(() => _ = new NnTensor(2, -1));
    }

    [Test]
    public void Indexer_RowAndColumn_AddressesRowMajor()
    {
        using var t = NnTensor.FromValues([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.That(t[1, 2], Is.EqualTo(6f));
        t[0, 1] = 9f;
        Assert.That(t.Row(0).ToArray(), Is.EqualTo(new[] { 1f, 9f, 3f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = t[2, 0]);
    }

    [Test]
    public void Resize_Smaller_KeepsBufferAndLargerGrows()
    {
        using var t = new NnTensor(4, 4);
        t.Resize(2, 3);
        Assert.That(t.Length, Is.EqualTo(6));
        t.Resize(100, 100);
        Assert.That(t.Length, Is.EqualTo(10000));
        Assert.That(t.Span.Length, Is.EqualTo(10000));
    }

    [Test]
    public void Reshape_DifferentCount_ThrowsAndKeepsShape()
    {
        using var t = new NnTensor(2, 6);
        t.Reshape(3, 4);
        Assert.That(t.Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.Throws<ArgumentException>(() => t.Reshape(5, 2));
        Assert.That(t.Shape, Is.EqualTo(new[] { 3, 4 }));
    }

    [Test]
    public void Dispose_ThenAccess_Throws()
    {
        var t = new NnTensor(3);
        t.Dispose();
        t.Dispose();
        Assert.That(t.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = t.Span);
    }
}
