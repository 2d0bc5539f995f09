// DistributedTraining: data-parallel PPO on Orleans from code, through the generic host (AddRL3() + UseRL3Worker /
// UseRL3Learner). The run is a preset with S shards; the workers build it from the preset's JSON, the learner sums
// their gradients in shard order, so the result is the same bits as one process with the same S.
//
//   one process, no Redis (a worker silo and a learner in this process, then the same run without a cluster):
//     dotnet run --project samples/DistributedTraining -c Release -- local
//   several processes or machines, with Redis as the membership store (see docs/distributed.md):
//     redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no
//     dotnet run --project samples/DistributedTraining -c Release -- worker 127.0.0.1:6379      (in two terminals)
//     dotnet run --project samples/DistributedTraining -c Release -- learner 127.0.0.1:6379
// The cluster's key is ~/.rl3/cluster.key (created on first use; the rl3 tool uses the same file).
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RL3.Core.Orleans.Hosting;
using RL3.Core.Orleans.Learner;
using RL3.Core.Training;

string mode = args.Length > 0 ? args[0] : "local";
string redis = args.Length > 1 ? args[1] : "127.0.0.1:6379";
var key = ClusterKey.LoadOrCreate(ClusterKey.DefaultPath);

var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
preset.Ppo.Shards = 4;        // S divides N = 400 slots and M = 40 sequences per minibatch
preset.Ppo.Iterations = 5;

switch (mode)
{
    case "worker":
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        builder.Services.AddRL3();
        builder.UseRL3Worker(o => { o.Key = key; o.RedisConnection = redis; });
        Console.WriteLine($"worker joining the cluster on redis {redis}; Ctrl+C to leave");
        await builder.Build().RunAsync();
        return 0;
    }

    case "learner":
    {
        using var host = Learner(o => o.RedisConnection = redis);
        await host.StartAsync();
        Console.WriteLine($"distributed: {Describe(Train(preset, Executor(host)))}");
        await host.StopAsync();
        return 0;
    }

    case "local":
    {
        int siloPort = FreePort(), gatewayPort = FreePort();
        var workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        workerBuilder.UseRL3Worker(o =>
        {
            o.Key = key;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.ConfigureSilo = silo => silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, siloPort));
        });
        using var worker = workerBuilder.Build();
        await worker.StartAsync();
        using var learner = Learner(o => o.ConfigureClient = client => client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort)));
        await learner.StartAsync();

        byte[] distributed = Train(preset, Executor(learner));
        byte[] single = Train(preset, null);
        Console.WriteLine($"distributed: {Describe(distributed)}");
        Console.WriteLine($"one process: {Describe(single)}");
        Console.WriteLine($"identical checkpoints: {distributed.AsSpan().SequenceEqual(single)}");
        await learner.StopAsync();
        await worker.StopAsync();
        return 0;
    }

    default:
        Console.Error.WriteLine("usage: DistributedTraining local | worker HOST:PORT | learner HOST:PORT");
        return 2;
}

IHost Learner(Action<RL3ClusterOptions> membership)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
    builder.Services.AddRL3();
    builder.UseRL3Learner(o =>
    {
        o.Key = key;
        membership(o);
    });
    return builder.Build();
}

OrleansShardExecutor Executor(IHost learner) =>
    new(learner.Services.GetRequiredService<IClusterClient>(), preset.ToJson(), preset.Ppo.Shards, new DistributedTrainingOptions { StragglerTimeout = TimeSpan.FromSeconds(60) });

// Trains the preset (on the cluster through the executor, or in this process for null) and returns its checkpoint.
static byte[] Train(TrainingPreset preset, OrleansShardExecutor? executor)
{
    var environment = preset.CreateEnvironment();
    using var policy = preset.CreatePolicy(environment);
    using var trainer = new PpoTrainer(policy, environment, preset.Ppo, executor);
    var summary = trainer.Train();
    Console.WriteLine($"  {(executor is null ? "one process" : "cluster")}: {summary.IterationsCompleted} iterations, last return {summary.LastIteration?.ReturnMean:0.000}"
        + (executor is null ? "" : $", {executor.Statistics.Workers} worker(s), communication {executor.Statistics.CommunicationSeconds:0.00} s in the last iteration"));
    string path = Path.GetTempFileName();
    trainer.SaveCheckpoint(path);
    byte[] bytes = File.ReadAllBytes(path);
    File.Delete(path);
    return bytes;
}

static string Describe(byte[] checkpoint) => $"checkpoint of {checkpoint.Length:#,0} bytes, SHA-256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(checkpoint))[..16]}…";

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
