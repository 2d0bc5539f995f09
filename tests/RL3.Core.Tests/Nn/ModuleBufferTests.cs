using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Nn.Optim;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class ModuleBufferTests
{
    private static Sequential MakeMlp(RandomSource rng) =>
        new(new Linear(17, 64, rng), new Relu(), new Linear(64, 64, rng), new Gelu(), new LayerNorm(64), new Linear(64, 5, rng));

    [Test]
    public void ForwardBackward_SteadyState_AllocatesNothing()
    {
        var rng = new RandomSource(1);
        using var net = MakeMlp(rng);
        using var adam = new Adam(net.NamedParameters());
        using var x = new NnTensor(16, 17);
        using var dy = new NnTensor(16, 5);
        x.Fill(0.5f);
        dy.Fill(0.1f);
        for (int i = 0; i < 3; i++)
        {
            net.Forward(x);
            net.Backward(dy);
            adam.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            net.Forward(x);
            net.Backward(dy);
            adam.Step();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Forward_SingleRowVersusBatch_GivesBitIdenticalRows()
    {
        var rng = new RandomSource(2);
        using var net = MakeMlp(rng);
        using var big = new NnTensor(9, 17);
        for (int i = 0; i < big.Length; i++)
        {
            big.Span[i] = (float)Math.Sin(i);
        }

        var all = net.Forward(big).Span.ToArray();
        using var one = new NnTensor(1, 17);
        big.Row(4).CopyTo(one.Span);
        var single = net.Forward(one).Span.ToArray();
        Assert.That(single, Is.EqualTo(all.AsSpan(4 * 5, 5).ToArray()), "a row alone gives bit-identical outputs to the same row in a batch");
        Assert.That(net.Forward(big).Span.ToArray(), Is.EqualTo(all));
    }
}
