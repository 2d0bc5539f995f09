using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace RL3.Core.Orleans.Hosting;

/// <summary>
/// How a learner or a worker joins an RL3 cluster: the shared key (from which the Orleans ids are derived), the
/// membership store, the address and ports a worker silo listens on, and optional TLS.
/// </summary>
/// <remarks>
/// Defaults are safe for one machine: silos bind to and advertise the loopback address, ports are picked free at start,
/// and there is no default key (every process of a cluster must be given the same <see cref="Key"/>; the CLI reads
/// <see cref="ClusterKey.DefaultPath"/>). Options are copied and validated by the hosting extensions
/// (<c>UseRL3Worker</c>, <c>UseRL3Learner</c>), so a bad value fails before any connection is made.
/// </remarks>
public sealed class RL3ClusterOptions
{
    /// <summary>The largest TCP port.</summary>
    public const int MaxPort = 65535;

    /// <summary>The shared secret of the cluster; required. The Orleans cluster id and service id are derived from it.</summary>
    public ClusterKey? Key { get; set; }

    /// <summary>Tells apart clusters that share one key and one membership store (default <c>"default"</c>).</summary>
    public string Name { get; set; } = "default";

    /// <summary>
    /// The Redis server holding the membership table, as a StackExchange.Redis configuration string
    /// (<c>"127.0.0.1:6379"</c>, <c>"host:6379,password=…,ssl=true"</c>). Null: the membership is configured by
    /// <see cref="ConfigureSilo"/> / <see cref="ConfigureClient"/> (ADO.NET, localhost development clustering, …).
    /// </summary>
    public string? RedisConnection { get; set; }

    /// <summary>The address a worker silo binds to and advertises (default loopback: nothing outside this machine can connect).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The port for silo-to-silo traffic; 0 (default) picks a free port at start.</summary>
    public int SiloPort { get; set; }

    /// <summary>The port the learner (an Orleans client) connects to; 0 (default) picks a free port at start.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// Turns on mutual TLS (Microsoft.Orleans.Connections.Security) for every connection: each process presents this
    /// certificate (it must hold the private key) and accepts only peers that present a certificate with the same SHA-256
    /// thumbprint. A self-signed certificate shared by the cluster is enough. Null (default): no TLS.
    /// </summary>
    public X509Certificate2? TlsCertificate { get; set; }

    /// <summary>Further configuration of a worker silo, applied last (e.g. <c>UseAdoNetClustering</c>).</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; set; }

    /// <summary>Further configuration of the learner's client, applied last (e.g. <c>UseAdoNetClustering</c>).</summary>
    public Action<IClientBuilder>? ConfigureClient { get; set; }

    /// <summary>A copy (the certificate and callbacks are shared, not cloned).</summary>
    /// <returns>The copy.</returns>
    public RL3ClusterOptions Clone() => (RL3ClusterOptions)MemberwiseClone();

    /// <summary>Checks every value; throws naming the first bad one and its allowed range.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        if (Key is null)
        {
            throw new ArgumentException("RL3ClusterOptions.Key is required: every process of a cluster needs the same ClusterKey (ClusterKey.LoadOrCreate(path), or rl3 --key-file).", nameof(Key));
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
        {
            throw new ArgumentException($"RL3ClusterOptions.Name must be 1 to 64 characters; got '{Name}'.", nameof(Name));
        }

        if (RedisConnection is null && ConfigureSilo is null && ConfigureClient is null)
        {
            throw new ArgumentException("RL3ClusterOptions needs a membership store: set RedisConnection (e.g. \"127.0.0.1:6379\"), or configure one with ConfigureSilo / ConfigureClient.", nameof(RedisConnection));
        }

        if (RedisConnection is not null && string.IsNullOrWhiteSpace(RedisConnection))
        {
            throw new ArgumentException("RL3ClusterOptions.RedisConnection must be a Redis configuration string such as \"127.0.0.1:6379\", or null.", nameof(RedisConnection));
        }

        ArgumentNullException.ThrowIfNull(Address, nameof(Address));
        if (Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException("RL3ClusterOptions.Address must be an address other silos can reach (it is advertised in the membership table), not the wildcard address.", nameof(Address));
        }

        if (SiloPort is < 0 or > MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(SiloPort), SiloPort, $"RL3ClusterOptions.SiloPort must be 0 (pick a free port) to {MaxPort}.");
        }

        if (GatewayPort is < 0 or > MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(GatewayPort), GatewayPort, $"RL3ClusterOptions.GatewayPort must be 0 (pick a free port) to {MaxPort}.");
        }

        if (SiloPort != 0 && SiloPort == GatewayPort)
        {
            throw new ArgumentException($"RL3ClusterOptions.SiloPort and GatewayPort must differ (both are {SiloPort}).", nameof(GatewayPort));
        }

        if (TlsCertificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("RL3ClusterOptions.TlsCertificate must hold its private key (load a PFX/PKCS#12 file, not a .cer).", nameof(TlsCertificate));
        }
    }
}
