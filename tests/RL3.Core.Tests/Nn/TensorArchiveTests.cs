using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Nn.Serialization;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Nn;

[TestFixture]
public sealed class TensorArchiveTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rl3-nn-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Sequential MakeNet(ulong seed, int hidden = 8) =>
        new(new Linear(5, hidden, new RandomSource(seed)), new Relu(), new LayerNorm(hidden), new Linear(hidden, 3, new RandomSource(seed + 1)));

    private static float[][] Snapshot(Module m) => m.Parameters().Select(p => p.Value.Span.ToArray()).ToArray();

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical()
    {
        using var a = MakeNet(1);
        using var b = MakeNet(2);
        a.Parameters().First().Value.Span[0] = float.NaN;
        a.Parameters().First().Value.Span[1] = -0f;
        a.Parameters().First().Value.Span[2] = float.Epsilon;
        string path = Path.Combine(_dir, "net.rl3");
        a.SaveParameters(path);
        b.LoadParameters(path);
        var sa = Snapshot(a);
        var sb = Snapshot(b);
        for (int i = 0; i < sa.Length; i++)
        {
            Assert.That(sb[i].Select(BitConverter.SingleToInt32Bits), Is.EqualTo(sa[i].Select(BitConverter.SingleToInt32Bits)));
        }

        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void Save_OverExistingFile_Replaces()
    {
        using var a = MakeNet(1);
        using var b = MakeNet(2);
        using var c = MakeNet(3);
        string path = Path.Combine(_dir, "net.rl3");
        a.SaveParameters(path);
        b.SaveParameters(path);
        c.LoadParameters(path);
        Assert.That(Snapshot(c), Is.EqualTo(Snapshot(b)));
    }

    [Test]
    public void Load_TruncatedFile_ThrowsAndLeavesParametersUnchanged()
    {
        using var a = MakeNet(1);
        using var b = MakeNet(2);
        string path = Path.Combine(_dir, "net.rl3");
        a.SaveParameters(path);
        byte[] bytes = File.ReadAllBytes(path);
        var before = Snapshot(b);
        foreach (int cut in new[] { 0, 4, 8, 23, 30, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..cut]);
            var ex = Assert.Throws<InvalidDataException>(() => b.LoadParameters(path));
            Assert.That(ex!.Message, Does.Contain("truncated").Or.Contain("bad magic"), $"cut at {cut}");
            Assert.That(Snapshot(b), Is.EqualTo(before));
        }
    }

    [Test]
    public void Load_AnyFlippedByte_ThrowsAndLeavesParametersUnchanged()
    {
        using var a = MakeNet(1, hidden: 2);
        using var b = MakeNet(2, hidden: 2);
        var archive = new TensorArchive();
        a.AddParameters(archive);
        byte[] bytes = archive.ToBytes();
        var before = Snapshot(b);
        for (int i = 0; i < bytes.Length; i++)
        {
            var corrupted = (byte[])bytes.Clone();
            corrupted[i] ^= 0x10;
            var ex = Assert.Throws<InvalidDataException>(() => b.LoadParameters(TensorArchive.FromBytes(corrupted)), $"flipped byte {i}");
            Assert.That(ex!.Message, Does.Contain("CRC-32").Or.Contain("magic").Or.Contain("version").Or.Contain("truncated").Or.Contain("longer"));
        }

        Assert.That(Snapshot(b), Is.EqualTo(before));
    }

    [Test]
    public void Load_WrongShape_ThrowsNamingParameterAndLeavesParametersUnchanged()
    {
        using var a = MakeNet(1, hidden: 8);
        using var b = MakeNet(2, hidden: 9);
        string path = Path.Combine(_dir, "net.rl3");
        a.SaveParameters(path);
        var before = Snapshot(b);
        var ex = Assert.Throws<InvalidDataException>(() => b.LoadParameters(path));
        Assert.That(ex!.Message, Does.Contain("'0.weight'").And.Contain("[5, 8]").And.Contain("[5, 9]"));
        Assert.That(Snapshot(b), Is.EqualTo(before));
    }

    [Test]
    public void Load_MissingOrExtraParameter_Throws()
    {
        using var net = MakeNet(1);
        using var single = new Linear(5, 8, new RandomSource(3));
        string path = Path.Combine(_dir, "net.rl3");
        net.SaveParameters(path);
        var ex = Assert.Throws<InvalidDataException>(() => single.LoadParameters(path));
        Assert.That(ex!.Message, Does.Contain("missing").And.Contain("'weight'"));

        single.SaveParameters(path);
        var ex2 = Assert.Throws<InvalidDataException>(() => net.LoadParameters(path));
        Assert.That(ex2!.Message, Does.Contain("missing"));

        var archive = new TensorArchive();
        single.AddParameters(archive);
        archive.AddTensor("extra", [1], [1f]);
        var ex3 = Assert.Throws<InvalidDataException>(() => single.LoadParameters(archive));
        Assert.That(ex3!.Message, Does.Contain("'extra'"));
    }

    [Test]
    public void FromBytes_IntegersAndOrder_RoundTrip()
    {
        var archive = new TensorArchive();
        archive.AddTensor("t", [2, 1, 2], [1f, 2f, 3f, 4f]);
        archive.SetInt64("step", long.MaxValue - 3);
        var back = TensorArchive.FromBytes(archive.ToBytes());
        Assert.That(back.Names, Is.EqualTo(new[] { "t", "step" }));
        Assert.That(back.GetShape("t"), Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(back.GetData("t").ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Assert.That(back.TryGetInt64("step", out long s) && s == long.MaxValue - 3, Is.True);
    }

    [Test]
    public void FromBytes_KnownHeader_IsStable()
    {
        var archive = new TensorArchive();
        archive.AddTensor("a", [1], [1f]);
        byte[] bytes = archive.ToBytes();
        Assert.That(bytes[..8], Is.EqualTo("RL3TNSR\0"u8.ToArray()));
        Assert.That(BitConverter.ToUInt32(bytes, 8), Is.EqualTo(1u));
        // payload: count(4) + nameLen(2) + "a"(1) + kind(1) + rank(1) + dim(4) + data(4) = 17
        Assert.That(BitConverter.ToUInt64(bytes, 16), Is.EqualTo(17ul));
        Assert.That(bytes, Has.Length.EqualTo(24 + 17 + 4));
    }
}
