using RL3.Core.Orleans.Hosting;

namespace RL3.Core.Orleans.Tests.Hosting;

public sealed class ClusterKeyTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rl3-orleans-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Ids_SameKeyAndName_AreEqualAndOtherwiseDiffer()
    {
        var a = ClusterKey.Parse(new string('a', 64));
        var b = ClusterKey.Parse(new string('b', 64));
        Assert.Multiple(() =>
        {
            Assert.That(ClusterKey.Parse(a.ToString()).ClusterId("default"), Is.EqualTo(a.ClusterId("default")));
            Assert.That(a.ClusterId("default"), Does.Match("^rl3-[0-9a-f]{32}$"));
            Assert.That(a.ServiceId("default"), Does.Match("^rl3-[0-9a-f]{32}$"));
            Assert.That(a.ClusterId("default"), Is.Not.EqualTo(a.ServiceId("default")));
            Assert.That(a.ClusterId("default"), Is.Not.EqualTo(a.ClusterId("other")));
            Assert.That(a.ClusterId("default"), Is.Not.EqualTo(b.ClusterId("default")));
        });
    }

    [Test]
    public void Ids_KnownKey_MatchAnIndependentHmac()
    {
        var key = ClusterKey.Parse("000102030405060708090a0b0c0d0e0f");
        using var hmac = new System.Security.Cryptography.HMACSHA256(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"));
        string expected = "rl3-" + Convert.ToHexStringLower(hmac.ComputeHash("rl3/cluster/x"u8.ToArray()))[..32];
        Assert.That(key.ClusterId("x"), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("zz0102030405060708090a0b0c0d0e0f")]
    [TestCase("0102030405060708090a0b0c0d0e0f")]
    public void Parse_NotAKey_ThrowsNamingTheRule(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => ClusterKey.Parse(text));
        Assert.That(ex!.Message, Does.Contain("hexadecimal digits").Or.Contain("at least 16 bytes"));
    }

    [Test]
    public void LoadOrCreate_ManyProcessesAtOnce_AgreeOnOneKeyReadableByTheOwnerOnly()
    {
        // Many rounds of racing callers (threads here; processes race the same way through the file system).
        for (int round = 0; round < 20; round++)
        {
            string racePath = Path.Combine(_dir, $"race{round}", "cluster.key");
            var raced = new string[8];
            Parallel.For(0, raced.Length, i => raced[i] = ClusterKey.LoadOrCreate(racePath).ToString());
            Assert.That(raced.Distinct().Count(), Is.EqualTo(1), $"round {round}");
            Assert.That(ClusterKey.Load(racePath).ToString(), Is.EqualTo(raced[0]), $"round {round}");
        }

        string path = Path.Combine(_dir, "sub", "cluster.key");
        var keys = new string[8];
        Parallel.For(0, keys.Length, i => keys[i] = ClusterKey.LoadOrCreate(path).ToString());
        Assert.Multiple(() =>
        {
            Assert.That(keys.Distinct().Count(), Is.EqualTo(1));
            Assert.That(ClusterKey.Load(path).ToString(), Is.EqualTo(keys[0]));
            Assert.That(keys[0], Has.Length.EqualTo(2 * ClusterKey.GeneratedKeyBytes));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1), "no temporary file is left");
        });
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Load_DamagedFile_ThrowsInvalidDataNamingTheFile()
    {
        string path = Path.Combine(_dir, "cluster.key");
        File.WriteAllText(path, "not a key\n");
        var ex = Assert.Throws<InvalidDataException>(() => ClusterKey.LoadOrCreate(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("does not hold a key"));
    }
}
