using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RL3.Core.DependencyInjection;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.DependencyInjection;

public class RL3BuilderExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IRL3Builder> register)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var builder = services.AddRL3();
        register(builder);
        builder.BindConfiguration(configuration.GetSection(RL3Options.SectionName));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void AddTaskDistribution_UserType_ResolvedByNameAndTrained()
    {
        using var provider = Build(TinySettings.Create(task: "coin-flip"), b => b.AddTaskDistribution<CoinFlipDistribution>("coin-flip"));

        var registry = provider.GetRequiredService<ITaskDistributionRegistry>();
        using var trainer = provider.GetRequiredService<IRL3TrainerFactory>().CreateTrainer();
        using var policy = trainer.Policy;
        trainer.RunIteration();

        Assert.That(registry.Names, Does.Contain("coin-flip"));
        Assert.That(registry.Get("COIN-FLIP"), Is.SameAs(registry.Get("coin-flip")));
        Assert.That(TaskChecker.Check(registry.Get("coin-flip")).Passed, Is.True, TaskChecker.Check(registry.Get("coin-flip")).ToString());
        Assert.That(trainer.Environment.Distribution, Is.InstanceOf<CoinFlipDistribution>());
    }

    [Test]
    public void AddTaskDistribution_Factory_Resolved()
    {
        using var provider = Build(TinySettings.Create(task: "coins"), b => b.AddTaskDistribution("coins", _ => new CoinFlipDistribution()));

        Assert.That(provider.GetRequiredService<ITaskDistributionRegistry>().Get("coins"), Is.InstanceOf<CoinFlipDistribution>());
    }

    [Test]
    public void AddTaskDistribution_DuplicateOrBuiltInName_Throws()
    {
        var builder = new ServiceCollection().AddRL3().AddTaskDistribution<CoinFlipDistribution>("coins");

        var duplicate = Assert.Throws<ArgumentException>(() => builder.AddTaskDistribution<CoinFlipDistribution>("Coins"));
        var builtIn = Assert.Throws<ArgumentException>(() => builder.AddTaskDistribution<CoinFlipDistribution>(TaskCatalog.BanditsK5));

        Assert.That(duplicate!.Message, Does.Contain("already registered"));
        Assert.That(builtIn!.Message, Does.Contain("built-in"));
    }

    [Test]
    public void Registry_UnknownName_ListsKnownNames()
    {
        using var provider = Build(TinySettings.Create(), _ => { });
        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ITaskDistributionRegistry>().Get("nope"));
        Assert.That(ex!.Message, Does.Contain("mdp-10x5"));
    }

    [Test]
    public void AddInnerEstimator_Delegate_UsedByEnvironment()
    {
        InnerEstimatorContext seen = default;
        using var provider = Build(TinySettings.Create(), b => b.AddInnerEstimator((_, context) =>
        {
            seen = context;
            return new TabularQLearning(context.StateCapacity, context.ActionCount, new TabularQLearningOptions { InitialValue = 1 });
        }));

        var environment = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment();
        var estimator = environment.EstimatorFactory!();

        Assert.That(estimator, Is.InstanceOf<TabularQLearning>());
        Assert.That(seen.StateCapacity, Is.EqualTo(2));
        Assert.That(seen.ActionCount, Is.EqualTo(5));
        Assert.That(seen.InteractionBudget, Is.EqualTo(10));
    }

    [Test]
    public void AddPolicy_Delegate_UsedByTrainer()
    {
        PolicyContext seen = default;
        using var provider = Build(TinySettings.Create(), b => b.AddPolicy((_, context) =>
        {
            seen = context;
            return new MlpPolicy(new PolicyShape(context.ObservationSize, context.ActionCount), new MlpPolicyOptions { HiddenSize = 8 });
        }));

        using var trainer = provider.GetRequiredService<IRL3TrainerFactory>().CreateTrainer();
        using var policy = trainer.Policy;

        Assert.That(policy, Is.InstanceOf<MlpPolicy>());
        Assert.That(seen.ObservationSize, Is.EqualTo(trainer.Environment.ObservationSize));
        Assert.That(seen.InteractionBudget, Is.EqualTo(10));
    }

    [Test]
    public void AddInnerEstimator_ThenAddRL3Again_KeepsUserEstimator()
    {
        var services = new ServiceCollection();
        services.AddRL3().AddInnerEstimator((_, c) => new TabularQLearning(c.StateCapacity, c.ActionCount));
        services.AddRL3();
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IInnerEstimatorFactory>(), Is.Not.TypeOf<DefaultInnerEstimatorFactory>());
    }
}
