using System.Net;
using RL3.Core.Orleans.Hosting;

namespace RL3.Core.Orleans.Tests.Hosting;

public sealed class RL3ClusterOptionsTests
{
    private static RL3ClusterOptions Valid() => new() { Key = ClusterKey.CreateRandom(), RedisConnection = "127.0.0.1:6379" };

    [Test]
    public void Defaults_BindLoopbackAndPickFreePorts()
    {
        var options = new RL3ClusterOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Address, Is.EqualTo(IPAddress.Loopback));
            Assert.That(options.SiloPort, Is.Zero);
            Assert.That(options.GatewayPort, Is.Zero);
            Assert.That(options.TlsCertificate, Is.Null);
        });
        Assert.DoesNotThrow(() => Valid().Validate());
    }

    [Test]
    public void Validate_BadValues_ThrowNamingTheOption()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Valid().With(o => o.Key = null).Validate(), Throws.ArgumentException.With.Message.Contains("Key is required"));
            Assert.That(() => Valid().With(o => o.Name = " ").Validate(), Throws.ArgumentException.With.Message.Contains("Name must be 1 to 64"));
            Assert.That(() => Valid().With(o => o.RedisConnection = null).Validate(), Throws.ArgumentException.With.Message.Contains("needs a membership store"));
            Assert.That(() => Valid().With(o => o.Address = IPAddress.Any).Validate(), Throws.ArgumentException.With.Message.Contains("not the wildcard address"));
            Assert.That(() => Valid().With(o => o.SiloPort = 70000).Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("SiloPort must be 0 (pick a free port) to 65535"));
            Assert.That(() => Valid().With(o => o.GatewayPort = -1).Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("GatewayPort must be 0"));
            Assert.That(() => Valid().With(o => { o.SiloPort = 11111; o.GatewayPort = 11111; }).Validate(), Throws.ArgumentException.With.Message.Contains("must differ"));
        });
    }
}

internal static class OptionsEditing
{
    /// <summary>Edits <paramref name="options"/> in place and returns it (tests read as "valid options with one change").</summary>
    public static RL3ClusterOptions With(this RL3ClusterOptions options, Action<RL3ClusterOptions> edit)
    {
        edit(options);
        return options;
    }
}
