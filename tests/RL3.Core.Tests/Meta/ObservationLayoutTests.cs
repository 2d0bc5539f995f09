using RL3.Core.Meta;

namespace RL3.Core.Tests.Meta;

public sealed class ObservationLayoutTests
{
    // docs/method.md §2: input sizes with A = 5.
    [TestCase(2, false, 11)]  // RL² bandits
    [TestCase(10, false, 19)] // RL² random MDPs
    [TestCase(2, false, 11)]  // RL² grid worlds (row, col)
    [TestCase(2, true, 28)]   // RL³ bandits
    [TestCase(10, true, 36)]  // RL³ random MDPs
    public void Size_MatchesPaper(int taskObservationSize, bool inner, int expected)
    {
        var layout = new ObservationLayout(5, taskObservationSize, inner);
        Assert.That(layout.Size, Is.EqualTo(expected));
    }

    [Test]
    public void Blocks_AreContiguousAndNamed()
    {
        var layout = new ObservationLayout(5, 10, true);
        int expectedOffset = 0;
        foreach (var block in layout.Blocks)
        {
            Assert.That(block.Offset, Is.EqualTo(expectedOffset), block.Name);
            expectedOffset = block.End;
        }

        Assert.That(expectedOffset, Is.EqualTo(layout.Size));
        Assert.That(layout[ObservationLayout.PreviousReward].Offset, Is.EqualTo(5));
        Assert.That(layout[ObservationLayout.TaskObservation], Is.EqualTo(new ObservationBlock(ObservationLayout.TaskObservation, 9, 10)));
        Assert.That(layout[ObservationLayout.InnerVisitCounts].Length, Is.EqualTo(5));
    }

    [Test]
    public void Rl2Layout_HasNoInnerBlocks()
    {
        var layout = new ObservationLayout(5, 2, false);
        Assert.That(layout.Contains(ObservationLayout.InnerValue), Is.False);
        var ex = Assert.Throws<KeyNotFoundException>(() => _ = layout[ObservationLayout.InnerValue]);
        Assert.That(ex!.Message, Does.Contain("inner_value"));
    }

    [Test]
    public void Constructor_ZeroActions_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObservationLayout(0, 2, true));
        Assert.That(ex!.ParamName, Is.EqualTo("actionCount"));
    }
}
