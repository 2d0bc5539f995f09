using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;
using RL3.Core.Orleans.Grains;

namespace RL3.Core.Orleans.Tests.Grains;

/// <summary>One worker grain per silo, pinned to the silo named by its key.</summary>
public sealed class WorkerPlacementTests
{
    [Test]
    public async Task Workers_ThreeSilos_EachWorkerRunsOnItsOwnSilo()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<WorkerSilos>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.That(hosts, Has.Count.EqualTo(3));
        foreach (var silo in hosts.Keys)
        {
            string key = silo.ToParsableString();
            var description = await cluster.Client.GetGrain<IShardWorkerGrain>(key).Describe();
            Assert.That(description.Silo, Is.EqualTo(key));
        }

        string first = hosts.Keys.First().ToParsableString();
        string gone = first[..first.IndexOf('@', StringComparison.Ordinal)] + "@1"; // the same endpoint, a generation that never lived
        var ex = Assert.ThrowsAsync<WorkerSiloUnavailableException>(() => cluster.Client.GetGrain<IShardWorkerGrain>(gone).Describe());
        Assert.That(ex!.Message, Does.Contain("not an active member"));
    }

    private sealed class WorkerSilos : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddRL3WorkerGrains();
    }
}
