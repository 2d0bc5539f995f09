using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RL3.Core.Orleans.Hosting;

namespace RL3.Cli;

/// <summary>
/// The cluster options <c>rl3 worker</c> and <c>rl3 train --cluster</c> share: the Redis membership store, the key file
/// (the Orleans ids derive from it), the cluster name and an optional TLS certificate; they become an
/// <see cref="RL3ClusterOptions"/> in one place.
/// </summary>
internal sealed class ClusterSettings
{
    /// <summary>The environment variable that holds the TLS certificate's password (kept off the command line).</summary>
    public const string TlsPasswordVariable = "RL3_TLS_PASSWORD";

    public readonly Option<string?> Cluster = CliOptions.Text("--cluster", "HOST:PORT", "the Redis server of the cluster's membership table (a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379)");
    public readonly Option<string?> KeyFile = CliOptions.Text("--key-file", "FILE", "the cluster's shared key (created when missing); default ~/.rl3/cluster.key. Copy it to every machine of the cluster");
    public readonly Option<string?> Name = CliOptions.Text("--cluster-name", "NAME", "tells apart clusters that share a key and a Redis server (default 'default')");
    public readonly Option<string?> Tls = CliOptions.Text("--tls-certificate", "FILE", $"mutual TLS: a PKCS#12 (.pfx) certificate with its private key, the same file on every machine (password in ${TlsPasswordVariable})");

    public void AddTo(Command command)
    {
        command.Add(Cluster);
        command.Add(KeyFile);
        command.Add(Name);
        command.Add(Tls);
    }

    /// <summary>The options given, checked; <paramref name="cluster"/> is the --cluster value.</summary>
    public RL3ClusterOptions Read(ParseResult result, string cluster)
    {
        string keyFile = result.GetValue(KeyFile) ?? ClusterKey.DefaultPath;
        ClusterKey key;
        try
        {
            key = ClusterKey.LoadOrCreate(keyFile);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException($"--key-file {keyFile}: {ex.Message}");
        }

        var options = new RL3ClusterOptions { Key = key, RedisConnection = cluster, Name = result.GetValue(Name) ?? "default" };
        if (result.GetValue(Tls) is { } certificateFile)
        {
            options.TlsCertificate = LoadCertificate(certificateFile);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliException(Presets.FirstSentence(ex.Message));
        }

        return options;
    }

    /// <summary>"cluster NAME on redis HOST:PORT (ids from FILE)[, TLS]" for the first line a command prints.</summary>
    public static string Describe(RL3ClusterOptions options, ParseResult result, ClusterSettings settings) => string.Create(
        CultureInfo.InvariantCulture,
        $"cluster '{options.Name}' on redis {options.RedisConnection} (key {result.GetValue(settings.KeyFile) ?? ClusterKey.DefaultPath}){(options.TlsCertificate is null ? ", no TLS" : ", mutual TLS")}");

    /// <summary>
    /// A generic host for Orleans whose logs go to stderr (warnings and worse; Orleans' own only when they are errors)
    /// and whose lifetime the command controls (no console lifetime: Ctrl+C is the command's).
    /// </summary>
    public static HostApplicationBuilder HostBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", LogLevel.Critical);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        return builder;
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--tls-certificate {path}: no such file");
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, Environment.GetEnvironmentVariable(TlsPasswordVariable));
            if (!certificate.HasPrivateKey)
            {
                throw new CliException($"--tls-certificate {path}: the certificate has no private key (give the .pfx, not the .cer)");
            }

            return certificate;
        }
        catch (CryptographicException ex)
        {
            throw new CliException($"--tls-certificate {path}: not a PKCS#12 certificate, or a wrong password in ${TlsPasswordVariable} ({Presets.FirstSentence(ex.Message)})");
        }
    }

    /// <summary>A host lifetime that leaves Ctrl+C and SIGTERM to the command (which stops the host itself).</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Parses the <c>--address</c> option of <c>rl3 worker</c>.</summary>
internal static class AddressOption
{
    public static Option<IPAddress?> Create() => new("--address")
    {
        HelpName = "IP",
        Description = "the address the worker binds to and advertises to the others (default 127.0.0.1: this machine only)",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (IPAddress.TryParse(text, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            {
                return address;
            }

            result.AddError($"--address must be an IP address other machines can reach (not 0.0.0.0), got '{text}'");
            return null;
        },
    };
}
