using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RL3.Core.Orleans.Messages;

namespace RL3.Core.Orleans.Tests.Messages;

public sealed class FloatBufferTests
{
    [Test]
    public void Serializer_RoundTrip_IsBitExactAtFourBytesPerFloat()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var values = new float[100_003];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int32BitsToSingle(unchecked((int)(0x9E3779B9u * (uint)i)));
        }

        values[1] = float.NaN;
        values[2] = -0f;
        byte[] wire = serializer.SerializeToArray(FloatBuffer.CopyOf(values));
        var back = serializer.Deserialize<FloatBuffer>(wire)!;
        var copy = new float[values.Length];
        back.CopyTo(copy);
        Assert.Multiple(() =>
        {
            Assert.That(back.Count, Is.EqualTo(values.Length));
            Assert.That(copy.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(values.Select(BitConverter.SingleToInt32Bits)));
            Assert.That(wire.Length, Is.InRange(4 * values.Length, 4 * values.Length + 32), "one blob, 4 bytes per float");
        });
    }

    [Test]
    public void Constructor_LengthNotAMultipleOfFour_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new FloatBuffer(new byte[5]));
        Assert.That(ex!.Message, Does.Contain("multiple of 4 bytes"));
    }

    [Test]
    public void CopyTo_WrongLength_ThrowsNamingBothLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => FloatBuffer.CopyOf([1f, 2f]).CopyTo(new float[3]));
        Assert.That(ex!.Message, Does.Contain("3 floats").And.Contain("holds 2"));
    }
}
