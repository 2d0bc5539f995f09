using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Core.Tests.Tasks;

public sealed class TaskCatalogTests
{
    private static readonly string[] ExpectedNames =
    [
        "bandits-k5", "bandits-k5-ood", "mdp-10x5", "mdp-10x5-ood", "grid-11x11", "grid-13x13", "grid-13x13-dense",
        "grid-13x13-deterministic", "grid-13x13-watery", "grid-13x13-dangerous", "grid-13x13-corner",
    ];

    [Test]
    public void Names_AreThePapersDistributions()
    {
        Assert.That(TaskCatalog.Names, Is.EqualTo(ExpectedNames));
        Assert.That(TaskCatalog.Entries.Select(e => e.Name), Is.EqualTo(ExpectedNames));
    }

    [TestCase("bandits-k5", 100, 1.0, 0.1, 0.01, null)]
    [TestCase("bandits-k5-ood", 100, 1.0, 0.1, 0.01, null)]
    [TestCase("mdp-10x5", 100, 10.0, 0.1, 0.01, null)]
    [TestCase("mdp-10x5-ood", 100, 10.0, 0.1, 0.01, null)]
    [TestCase("grid-11x11", 250, 10.0, 0.01, 0.1, 0.1)]
    [TestCase("grid-13x13", 350, 10.0, 0.01, 0.1, 0.08)]
    [TestCase("grid-13x13-corner", 350, 10.0, 0.01, 0.1, 0.08)]
    public void Get_Entry_HasRecommendedSettings(string name, int h, double c, double lambda, double epsilon, double? rho)
    {
        var e = TaskCatalog.Get(name);
        Assert.That((e.InteractionBudget, e.ValueScale, e.LaplaceSmoothing, e.ValueIterationEpsilon, e.ClusteringRadius), Is.EqualTo((h, c, lambda, epsilon, rho)));
    }

    [Test]
    public void Create_EveryEntry_MakesDistributionWithThatName()
    {
        foreach (var entry in TaskCatalog.Entries)
        {
            var d = entry.CreateDistribution();
            Assert.That(d.Name, Is.EqualTo(entry.Name));
            Assert.That(d.ActionCount, Is.EqualTo(5));
        }

        var dense = (GridWorldDistribution)TaskCatalog.Create("grid-13x13-dense");
        Assert.That(dense.Options, Is.SameAs(GridWorldOptions.Dense13x13));
    }

    [Test]
    public void Get_DifferentCase_FindsEntry()
    {
        Assert.That(TaskCatalog.Get("GRID-13x13-Watery").Name, Is.EqualTo("grid-13x13-watery"));
        Assert.That(TaskCatalog.TryGet("Bandits-K5", out var entry), Is.True);
        Assert.That(entry!.Name, Is.EqualTo("bandits-k5"));
    }

    [Test]
    public void Get_UnknownName_ThrowsListingValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => TaskCatalog.Get("grid-15x15"));
        Assert.That(e!.ParamName, Is.EqualTo("name"));
        Assert.That(e.Message, Does.Contain("grid-15x15"));
        foreach (string name in ExpectedNames)
        {
            Assert.That(e.Message, Does.Contain(name));
        }

        Assert.That(TaskCatalog.TryGet("nope", out _), Is.False);
        Assert.That(TaskCatalog.TryGet(null, out _), Is.False);
        Assert.Throws<ArgumentNullException>(() => TaskCatalog.Get(null!));
    }

    [Test]
    public void Create_Grid13x13_SamplesThirteenByThirteen()
    {
        var task = (GridWorldTask)TaskCatalog.Create(TaskCatalog.Grid13x13).Sample(new RandomSource(1));
        Assert.That(task.Rows, Is.EqualTo(13));
    }
}
