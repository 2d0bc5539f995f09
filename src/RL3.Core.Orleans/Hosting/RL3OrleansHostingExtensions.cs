using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Connections.Security;
using RL3.Core.Orleans.Grains;
using RL3.Core.Orleans.Hosting;

// Beside UseOrleans / UseOrleansClient, so that the RL3 variants show up with the same using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Hosting extensions that make a generic host an RL3 worker (an Orleans silo hosting a shard worker) or an RL3 learner
/// (an Orleans client that dispatches shards to the workers): <c>builder.Services.AddRL3(); builder.UseRL3Worker(o => …)</c>.
/// </summary>
/// <remarks>
/// Every cluster setting lives in <see cref="RL3ClusterOptions"/>; the options are copied and validated when the extension
/// is called. Membership failure detection is tuned for a training cluster, where every iteration waits for every shard:
/// a silo that stops answering is declared dead after two missed probes of <see cref="ProbeTimeout"/> (about a second on
/// a LAN, against about six with Orleans' defaults), and grain calls have no Orleans time-out of their own
/// (<see cref="ResponseTimeout"/>): the learner's straggler time-out decides when a shard is given to another worker.
/// </remarks>
public static class RL3OrleansHostingExtensions
{
    /// <summary>The membership probe time-out (Orleans' <c>ClusterMembershipOptions.ProbeTimeout</c>).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes after which a silo is suspected (Orleans' <c>ClusterMembershipOptions.NumMissedProbesLimit</c>).</summary>
    public const int MissedProbesLimit = 3;

    /// <summary>The Orleans response time-out of grain calls: long, because the learner's straggler time-out governs.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromHours(1);

    /// <summary>Makes this host an RL3 worker: an Orleans silo that joins the cluster described by <paramref name="configure"/>.</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configure">Sets the cluster options (the key and the membership store at least).</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IHostApplicationBuilder UseRL3Worker(this IHostApplicationBuilder builder, Action<RL3ClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.UseOrleans(silo => silo.UseRL3Worker(options));
    }

    /// <summary>Makes this host an RL3 learner: an Orleans client of the cluster described by <paramref name="configure"/>.</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configure">Sets the cluster options (the key and the membership store at least).</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IHostApplicationBuilder UseRL3Learner(this IHostApplicationBuilder builder, Action<RL3ClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.UseOrleansClient(client => client.UseRL3Learner(options));
    }

    /// <summary>Configures a silo as an RL3 worker of the cluster <paramref name="options"/> describes.</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="options">The cluster options (copied and validated).</param>
    /// <returns>The <paramref name="silo"/>.</returns>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static ISiloBuilder UseRL3Worker(this ISiloBuilder silo, RL3ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        var key = options.Key!;
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = key.ClusterId(options.Name);
            o.ServiceId = key.ServiceId(options.Name);
        });
        int siloPort = options.SiloPort == 0 ? FreePort(options.Address) : options.SiloPort;
        int gatewayPort = options.GatewayPort == 0 ? FreePort(options.Address, siloPort) : options.GatewayPort;
        silo.ConfigureEndpoints(options.Address, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        if (options.RedisConnection is { } redis)
        {
            silo.UseRedisClustering(redis);
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        if (options.TlsCertificate is { } certificate)
        {
            silo.UseTls(tls => ConfigureTls(tls, certificate));
        }

        silo.AddRL3WorkerGrains();
        options.ConfigureSilo?.Invoke(silo);
        return silo;
    }

    /// <summary>
    /// Adds only the RL3 worker grain, its placement and the default <see cref="IShardWorkerFactory"/> (unless one is
    /// registered) to a silo whose cluster is configured elsewhere (a test cluster, <c>UseLocalhostClustering</c>).
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <returns>The <paramref name="silo"/>.</returns>
    public static ISiloBuilder AddRL3WorkerGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddPlacementDirector<WorkerSiloPlacement, WorkerSiloPlacementDirector>();
        silo.Services.TryAddSingleton<IShardWorkerFactory, PresetShardWorkerFactory>();
        return silo;
    }

    /// <summary>Configures an Orleans client as the RL3 learner of the cluster <paramref name="options"/> describes.</summary>
    /// <param name="client">The client builder.</param>
    /// <param name="options">The cluster options (copied and validated).</param>
    /// <returns>The <paramref name="client"/>.</returns>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IClientBuilder UseRL3Learner(this IClientBuilder client, RL3ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        var key = options.Key!;
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = key.ClusterId(options.Name);
            o.ServiceId = key.ServiceId(options.Name);
        });
        if (options.RedisConnection is { } redis)
        {
            client.UseRedisClustering(redis);
        }

        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        if (options.TlsCertificate is { } certificate)
        {
            client.UseTls(tls => ConfigureTls(tls, certificate));
        }

        options.ConfigureClient?.Invoke(client);
        return client;
    }

    private static RL3ClusterOptions Configure(Action<RL3ClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RL3ClusterOptions();
        configure(options);
        options.Validate();
        return options;
    }

    /// <summary>Mutual TLS pinned to the cluster's certificate: both ends present it and accept only its thumbprint.</summary>
    private static void ConfigureTls(TlsOptions tls, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        string pinned = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) =>
            string.Equals(remote.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A port that is free on <paramref name="address"/> now (the OS picks it), other than <paramref name="except"/>.</summary>
    private static int FreePort(IPAddress address, int except = -1)
    {
        while (true)
        {
            using var listener = new TcpListener(address, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != except)
            {
                return port;
            }
        }
    }
}
