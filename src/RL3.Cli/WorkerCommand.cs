using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RL3.Cli;

/// <summary>
/// <c>rl3 worker --cluster HOST:PORT [--key-file FILE] [--cluster-name NAME] [--address IP] [--port P] [--gateway-port P]
/// [--tls-certificate FILE]</c>: an Orleans silo that computes shards for learners of the cluster until Ctrl+C or SIGTERM.
/// </summary>
internal sealed class WorkerCommand : Command
{
    private readonly ClusterSettings _cluster = new();
    private readonly Option<IPAddress?> _address = AddressOption.Create();
    private readonly Option<int?> _port = Port("--port", "the port for silo-to-silo traffic (default: a free port)");
    private readonly Option<int?> _gatewayPort = Port("--gateway-port", "the port learners connect to (default: a free port)");

    public WorkerCommand(TextWriter output, CancellationToken cancellationToken)
        : base("worker", "join a cluster as a worker: compute the shards of distributed training runs (rl3 train --cluster) until Ctrl+C")
    {
        _cluster.AddTo(this);
        Add(_address);
        Add(_port);
        Add(_gatewayPort);
        SetAction(result => Run(result, output, cancellationToken));
    }

    private int Run(ParseResult result, TextWriter output, CancellationToken cancellationToken)
    {
        string cluster = result.GetValue(_cluster.Cluster) ?? throw new CliException("worker needs --cluster HOST:PORT (the Redis server of the cluster's membership table)");
        var options = _cluster.Read(result, cluster);
        options.Address = result.GetValue(_address) ?? IPAddress.Loopback;
        options.SiloPort = result.GetValue(_port) ?? 0;
        options.GatewayPort = result.GetValue(_gatewayPort) ?? 0;

        var builder = ClusterSettings.HostBuilder();
        builder.UseRL3Worker(o =>
        {
            o.Key = options.Key;
            o.Name = options.Name;
            o.RedisConnection = options.RedisConnection;
            o.Address = options.Address;
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
            o.TlsCertificate = options.TlsCertificate;
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var host = builder.Build();
        try
        {
            host.StartAsync(stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex) when (ex is not CliException)
        {
            throw new CliException($"the worker could not join {ClusterSettings.Describe(options, result, _cluster)}: {Presets.FirstSentence(ex.Message)}");
        }

        var silo = host.Services.GetRequiredService<ILocalSiloDetails>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {silo.SiloAddress.ToParsableString()} (pid {Environment.ProcessId}, {Environment.ProcessorCount} cores) joined {ClusterSettings.Describe(options, result, _cluster)}; gateway {silo.GatewayAddress?.Endpoint}; Ctrl+C to leave"));
        output.Flush();
        stop.Token.WaitHandle.WaitOne();
        output.WriteLine("worker leaving the cluster…");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        host.StopAsync(limit.Token).GetAwaiter().GetResult();
        output.WriteLine("worker stopped");
        return 0;
    }

    private static Option<int?> Port(string name, string description) => new(name)
    {
        HelpName = "P",
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535)
            {
                return value;
            }

            result.AddError($"{name} must be a TCP port in [1, 65535], got '{text}'");
            return null;
        },
    };
}
