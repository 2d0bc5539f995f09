using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RL3.Core.Orleans.Grains;
using RL3.Core.Orleans.Hosting;

namespace RL3.Core.Orleans.Tests.Hosting;

/// <summary>
/// A worker silo and a learner client in one process, on loopback, through the hosting extensions: TLS pinned to a
/// self-signed certificate admits a learner with the certificate and refuses one with another; a learner with another
/// cluster key is refused.
/// </summary>
public sealed class ClusterSecurityTests
{
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(40);

    /// <summary>A refused client never finishes connecting (Orleans retries the gateway); the admitted one takes about 1 s.</summary>
    private static readonly TimeSpan RefusedLimit = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Tls_SameSelfSignedCertificate_Connects_OtherCertificateIsRefused()
    {
        using var certificate = SelfSigned("rl3 cluster");
        using var stranger = SelfSigned("rl3 cluster");
        var key = ClusterKey.CreateRandom();
        var (worker, gateway) = await StartWorker(key, certificate);
        using (worker)
        {
            try
            {
                using (var learner = await StartLearner(key, certificate, gateway))
                {
                    await AssertCallsTheWorker(learner);
                }

                Assert.That(async () => { using var refused = await StartLearner(key, stranger, gateway, RefusedLimit); }, Throws.InstanceOf<OperationCanceledException>(), "another certificate");
                Assert.That(async () => { using var plain = await StartLearner(key, null, gateway, RefusedLimit); }, Throws.InstanceOf<OperationCanceledException>(), "no TLS");
            }
            finally
            {
                await worker.StopAsync();
            }
        }
    }

    [Test]
    public async Task Ids_LearnerWithAnotherKey_IsRefused()
    {
        var key = ClusterKey.CreateRandom();
        var (worker, gateway) = await StartWorker(key, null);
        using (worker)
        {
            try
            {
                using (var learner = await StartLearner(key, null, gateway))
                {
                    await AssertCallsTheWorker(learner);
                }

                Assert.That(async () => { using var other = await StartLearner(ClusterKey.CreateRandom(), null, gateway, RefusedLimit); }, Throws.InstanceOf<OperationCanceledException>());
            }
            finally
            {
                await worker.StopAsync();
            }
        }
    }

    private static async Task AssertCallsTheWorker(IHost learner)
    {
        var client = learner.Services.GetRequiredService<IClusterClient>();
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        string silo = hosts.Keys.Single().ToParsableString();
        var description = await client.GetGrain<IShardWorkerGrain>(silo).Describe();
        Assert.That(description.Silo, Is.EqualTo(silo));
    }

    private static async Task<(IHost Host, int Gateway)> StartWorker(ClusterKey key, X509Certificate2? certificate)
    {
        int siloPort = FreePort();
        int gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseRL3Worker(o =>
        {
            o.Key = key;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.TlsCertificate = certificate;
            o.ConfigureSilo = silo => silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, siloPort));
        });
        var host = builder.Build();
        using var limit = new CancellationTokenSource(ConnectLimit);
        await host.StartAsync(limit.Token);
        return (host, gatewayPort);
    }

    private static async Task<IHost> StartLearner(ClusterKey key, X509Certificate2? certificate, int gatewayPort, TimeSpan? limit = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseRL3Learner(o =>
        {
            o.Key = key;
            o.TlsCertificate = certificate;
            o.ConfigureClient = client => client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
        });
        var host = builder.Build();
        try
        {
            using var cancel = new CancellationTokenSource(limit ?? ConnectLimit);
            await host.StartAsync(cancel.Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", ecdsa, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
