using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class RolloutBufferTests
{
    [Test]
    public void ComputeAdvantages_TreatsSequencesIndependently()
    {
        var buffer = new RolloutBuffer(2, 2, 1);
        // Sequence 0: r = [1, 1], V = [0, 0, 5], terminal at the end.
        // Sequence 1: r = [0, 2], V = [1, 1, 7], terminal at the end.
        buffer.Rewards[0] = 1;
        buffer.Rewards[1] = 1;
        buffer.Rewards[2] = 0;
        buffer.Rewards[3] = 2;
        buffer.Values[2] = 5;
        buffer.Values[3] = 1;
        buffer.Values[4] = 1;
        buffer.Values[5] = 7;
        buffer.Terminals[1] = true;
        buffer.Terminals[3] = true;
        buffer.ComputeAdvantages(1.0, 1.0);
        // Sequence 0: A2 = 1, A1 = 1 + 1 = 2. Sequence 1: A2 = 2 − 1 = 1, A1 = (0 + 1 − 1) + 1 = 1.
        Assert.That(buffer.Advantages, Is.EqualTo(new[] { 2f, 1f, 1f, 1f }));
        Assert.That(buffer.Returns, Is.EqualTo(new[] { 2f, 1f, 2f, 2f }));

        var returns = new double[2];
        buffer.EpisodeReturns(returns);
        Assert.That(returns, Is.EqualTo(new[] { 2.0, 2.0 }));
    }

    [Test]
    public void ExplainedVariance_PerfectCriticIsOne()
    {
        var buffer = new RolloutBuffer(1, 3, 1);
        buffer.Returns[0] = 1;
        buffer.Returns[1] = 2;
        buffer.Returns[2] = 4;
        buffer.Values[0] = 1;
        buffer.Values[1] = 2;
        buffer.Values[2] = 4;
        Assert.That(buffer.ExplainedVariance(), Is.EqualTo(1.0));
        buffer.Values[0] = buffer.Values[1] = buffer.Values[2] = 0;
        // A constant (zero) critic explains nothing: Var(R − V) = Var(R).
        Assert.That(buffer.ExplainedVariance(), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void ObservationAt_AddressesSequenceMajorRows()
    {
        var buffer = new RolloutBuffer(2, 3, 2);
        buffer.ObservationAt(1, 3)[1] = 42;
        Assert.That(buffer.Observations[((1 * 4) + 3) * 2 + 1], Is.EqualTo(42));
    }
}
