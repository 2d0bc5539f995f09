using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RL3.Core.DependencyInjection;
using RL3.Core.Evaluation;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.Tests.DependencyInjection;

public class RL3ServiceCollectionExtensionsTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IRL3Builder>? extra = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var builder = services.AddRL3(configuration.GetSection(RL3Options.SectionName));
        extra?.Invoke(builder);
        return services.BuildServiceProvider(Strict);
    }

    [Test]
    public void AddRL3_CalledTwice_RegistersNothingTwice()
    {
        var once = new ServiceCollection();
        once.AddRL3();
        var twice = new ServiceCollection();
        twice.AddRL3();
        twice.AddRL3();

        Assert.That(twice, Has.Count.EqualTo(once.Count));
        Assert.That(once.Count(d => d.ServiceType == typeof(IRL3TrainerFactory)), Is.EqualTo(1));
        Assert.That(once.Count(d => d.ServiceType == typeof(IValidateOptions<PpoOptions>)), Is.EqualTo(1));
    }

    [Test]
    public void AddRL3_NullServices_Throws() =>
        Assert.Throws<ArgumentNullException>(() => RL3ServiceCollectionExtensions.AddRL3(null!));

    [Test]
    public void AddRL3_Defaults_ResolveWithValidateOnBuild()
    {
        var services = new ServiceCollection();
        services.AddRL3();
        using var provider = services.BuildServiceProvider(Strict);

        var factory = provider.GetRequiredService<IRL3TrainerFactory>();

        Assert.That(factory.Options.TaskDistribution, Is.EqualTo("bandits-k5"));
        Assert.That(factory.Options.Algorithm, Is.EqualTo(MetaAlgorithm.Rl3));
        Assert.That(provider.GetRequiredService<ITaskDistributionRegistry>().Names, Does.Contain("grid-13x13"));
    }

    [TestCase("bandits-k5")]
    [TestCase("mdp-10x5")]
    [TestCase("grid-13x13")]
    public void AddRL3_OnlyATaskName_UsesTheCatalogFamilysSettings(string task)
    {
        var services = new ServiceCollection();
        services.AddRL3(o => o.TaskDistribution = task);
        using var provider = services.BuildServiceProvider(Strict);

        var entry = RL3.Core.Tasks.TaskCatalog.Get(task);
        var rules = ModelBasedValueIterationOptions.ForTask(entry.CreateDistribution().TaskHorizon, 100);
        var vi = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment().Inner!;
        Assert.That(vi.ValueScale, Is.EqualTo(entry.ValueScale), "c");
        Assert.That(vi.LaplaceSmoothing, Is.EqualTo(entry.LaplaceSmoothing), "λ");
        Assert.That(vi.Epsilon, Is.EqualTo(entry.ValueIterationEpsilon), "ε");
        Assert.That(vi.MaxSweeps, Is.EqualTo(rules.MaxSweeps), "sweeps");
        Assert.That(vi.WarmStart, Is.EqualTo(rules.WarmStart), "warm start");
        Assert.That(provider.GetRequiredService<IRL3TrainerFactory>().Options.TaskDistribution, Is.EqualTo(task));
    }

    [Test]
    public void AddRL3_LaterSettings_OverrideTheCatalogFamilysSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["RL3:TaskDistribution"] = "bandits-k5",
            ["RL3:Inner:MaxSweeps"] = "7",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddRL3(configuration.GetSection(RL3Options.SectionName));
        services.Configure<InnerEstimatorOptions>(o => o.ValueScale = 3);
        using var provider = services.BuildServiceProvider(Strict);

        var vi = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment().Inner!;
        Assert.That(vi.ValueScale, Is.EqualTo(3.0));
        Assert.That(vi.MaxSweeps, Is.EqualTo(7), "bound after AddRL3: wins");
        Assert.That(vi.LaplaceSmoothing, Is.EqualTo(RL3.Core.Tasks.TaskCatalog.Get("bandits-k5").LaplaceSmoothing), "not set: the catalog's");
    }

    [Test]
    public void AddRL3_UserTaskFamilyWithoutSettings_GetsTheDefaultSettingsAndThePapersHorizonRules()
    {
        var services = new ServiceCollection();
        services.AddRL3(o => o.TaskDistribution = "coins").AddTaskDistribution<CoinFlipDistribution>("coins");
        using var provider = services.BuildServiceProvider(Strict);

        // Same treatment as a built-in family: TaskFamilySettings.Default (c = 10, λ = 0.1, ε = 0.01) and sweeps = TH.
        var vi = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment().Inner!;
        Assert.That(vi.ValueScale, Is.EqualTo(new MetaEnvironmentOptions().ValueScale));
        Assert.That(vi.LaplaceSmoothing, Is.EqualTo(RL3.Core.Tasks.TaskFamilySettings.Default.LaplaceSmoothing));
        Assert.That(vi.MaxSweeps, Is.EqualTo(new CoinFlipDistribution().TaskHorizon));
        Assert.That(provider.GetRequiredService<IRL3TrainerFactory>().Options.TaskDistribution, Is.EqualTo("coins"));
    }

    [Test]
    public void AddRL3_UserTaskFamilyWithSettings_UsesThemLikeACatalogFamily()
    {
        var services = new ServiceCollection();
        services.AddRL3(o => o.TaskDistribution = "coins")
            .AddTaskDistribution("coins", _ => new CoinFlipWithSettingsDistribution(new() { ValueScale = 2.5, LaplaceSmoothing = 0.3, ValueIterationEpsilon = 0.05 }));
        using var provider = services.BuildServiceProvider(Strict);

        var vi = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment().Inner!;
        Assert.That((vi.ValueScale, vi.LaplaceSmoothing, vi.Epsilon), Is.EqualTo((2.5, 0.3, 0.05)));
    }

    [Test]
    public void InnerSettings_PresetSetAndConfiguration_ReachTheSameEstimatorOptions()
    {
        // Path 1: a preset file's inner section.
        var fromFile = PresetCatalog.Get("bandits-h10-rl3-quick");
        fromFile.Inner.Gamma = 0.99;
        fromFile.Inner.MaxSweeps = 4;
        fromFile.Inner.Estimator = InnerEstimatorKind.QLearning;
        var viaFile = TrainingPreset.FromJson(fromFile.ToJson()).CreateEnvironment();

        // Path 2: --set keys on the built-in preset (what rl3 train --set does).
        var fromSet = PresetCatalog.Get("bandits-h10-rl3-quick");
        fromSet.Set("inner.gamma", "0.99");
        fromSet.Set("inner.maxSweeps", "4");
        fromSet.Set("inner.estimator", "qLearning");
        var viaSet = fromSet.CreateEnvironment();

        // Path 3: configuration under AddRL3().
        var settings = TinySettings.Create();
        settings["RL3:Inner:Gamma"] = "0.99";
        settings["RL3:Inner:MaxSweeps"] = "4";
        settings["RL3:Inner:Estimator"] = "QLearning";
        settings.Remove("RL3:Inner:ValueScale");
        using var provider = Build(settings);
        var viaConfiguration = provider.GetRequiredService<IRL3TrainerFactory>().CreateEnvironment();

        string Resolved(MetaEnvironmentSpec spec) => System.Text.Json.JsonSerializer.Serialize(spec.Inner);
        Assert.That(viaFile.Inner!.Gamma, Is.EqualTo(0.99));
        Assert.That(viaFile.Inner.MaxSweeps, Is.EqualTo(4));
        Assert.That(viaFile.EstimatorFactory!(), Is.InstanceOf<TabularQLearning>());
        Assert.That(Resolved(viaSet), Is.EqualTo(Resolved(viaFile)));
        Assert.That(Resolved(viaConfiguration), Is.EqualTo(Resolved(viaFile)));
        Assert.That(viaConfiguration.EstimatorFactory!(), Is.InstanceOf<TabularQLearning>());
        Assert.That((viaSet.Name, viaConfiguration.Name), Is.EqualTo(("RL³ (Q-learning)", "RL³ (Q-learning)")));
    }

    [Test]
    public void CreateTrainer_FromConfiguration_TrainsAndEvaluates()
    {
        using var provider = Build(TinySettings.Create());
        var factory = provider.GetRequiredService<IRL3TrainerFactory>();

        using var trainer = factory.CreateTrainer();
        using var policy = trainer.Policy;
        var summary = trainer.Train();
        var result = factory.Evaluate(policy, trainer.Environment);

        Assert.That(summary.IterationsCompleted, Is.EqualTo(2));
        Assert.That(trainer.Options.BatchSteps, Is.EqualTo(80));
        Assert.That(policy, Is.InstanceOf<GruPolicy>());
        Assert.That(trainer.Environment.Name, Is.EqualTo("RL³"));
        Assert.That(trainer.Environment.ValueScale, Is.EqualTo(1.0));
        Assert.That(result.TaskReturns, Has.Length.EqualTo(16));
        Assert.That(result.Mean, Is.InRange(0.0, 10.0));
    }

    [Test]
    public void CreateTrainer_SameAsPlainConstructors_SameFirstIteration()
    {
        using var provider = Build(TinySettings.Create());
        using var viaDi = provider.GetRequiredService<IRL3TrainerFactory>().CreateTrainer();
        using var diPolicy = viaDi.Policy;

        // The same run written with constructors only: DI composes, it adds nothing (the value iteration takes the
        // bandit family's catalog settings: one sweep per update for TH = 1, λ and ε of the catalog).
        var entry = RL3.Core.Tasks.TaskCatalog.Get("bandits-k5");
        var distribution = entry.CreateDistribution();
        var vi = ModelBasedValueIterationOptions.ForTask(distribution.TaskHorizon, interactionBudget: 10);
        vi.LaplaceSmoothing = entry.LaplaceSmoothing;
        vi.Epsilon = entry.ValueIterationEpsilon;
        var environment = new MetaEnvironmentSpec(
            distribution,
            new MetaEnvironmentOptions { InteractionBudget = 10, ValueScale = 1 },
            () => new ModelBasedValueIteration(distribution.StateCount, distribution.ActionCount, vi),
            () => new DirectStateIndexer(distribution.StateCount));
        using var policy = new GruPolicy(new PolicyShape(environment.ObservationSize, distribution.ActionCount), new GruPolicyOptions
        {
            EmbeddingSize = 8,
            HiddenSize = 8,
        });
        using var plain = new PpoTrainer(policy, environment, new PpoOptions
        {
            BatchSteps = 80, MinibatchSequences = 4, Epochs = 1, Iterations = 2, Seed = 7, MaxDegreeOfParallelism = 1,
        });

        Assert.That(viaDi.RunIteration().Metrics, Is.EquivalentTo(plain.RunIteration().Metrics).Using<KeyValuePair<string, double>>(
            (a, b) => a.Key == b.Key && (a.Key.Contains("seconds", StringComparison.Ordinal) || a.Key.Contains("per_second", StringComparison.Ordinal) || a.Value.Equals(b.Value))));
    }

    [Test]
    public void Resolve_InvalidPpoOptions_ThrowsNamingFieldAndRange()
    {
        var settings = TinySettings.Create();
        settings["RL3:Ppo:LearningRate"] = "-1";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("PpoOptions.LearningRate must be positive and finite"));
        Assert.That(ex.Message, Does.Contain("actual value: -1"));
        Assert.That(ex.Message, Does.Contain("RL3:Ppo"));
    }

    [Test]
    public void Resolve_InvalidPolicyOptions_ThrowsNamingFieldAndRange()
    {
        var settings = TinySettings.Create();
        settings["RL3:GruPolicy:HiddenSize"] = "0";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("GruPolicyOptions.HiddenSize must be in [1, 65536] but is 0"));
    }

    [Test]
    public void Resolve_InteractionBudgetOutsideRL3InteractionBudget_IsAnUnknownKey()
    {
        // H has one key; the copies that had to be kept equal are gone.
        var settings = TinySettings.Create();
        settings["RL3:Ppo:InteractionBudget"] = "20";
        settings["RL3:Evaluation:InteractionBudget"] = "20";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("Unknown configuration key 'RL3:Ppo:InteractionBudget'"));
        Assert.That(ex.Message, Does.Contain("Unknown configuration key 'RL3:Evaluation:InteractionBudget'"));
    }

    [Test]
    public void Resolve_BatchNotAMultipleOfH_ThrowsNamingTheSection()
    {
        var settings = TinySettings.Create();
        settings["RL3:InteractionBudget"] = "7";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("BatchSteps (80) must be a multiple of the interaction budget H (7)"));
        Assert.That(ex.Message, Does.Contain("RL3:Ppo"));
    }

    [Test]
    public void Resolve_InnerGammaOutOfRange_ThrowsNamingFieldValueAndRange()
    {
        var settings = TinySettings.Create();
        settings["RL3:Inner:Gamma"] = "1.5";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("InnerEstimatorOptions.Gamma must be in [0, 1]; got 1.5"));
        Assert.That(ex.Message, Does.Contain("RL3:Inner"));
    }

    [Test]
    public void Resolve_UnknownTaskDistribution_ListsKnownNames()
    {
        var settings = TinySettings.Create(task: "no-such-family");
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("'no-such-family' is not a known task distribution"));
        Assert.That(ex.Message, Does.Contain("bandits-k5"));
    }

    [Test]
    public void Resolve_MisspeltKey_Throws()
    {
        var settings = TinySettings.Create();
        settings["RL3:Ppo:LearningRat"] = "0.1";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("Unknown configuration key 'RL3:Ppo:LearningRat'"));
        Assert.That(ex.Message, Does.Contain("LearningRate"));
    }

    [Test]
    public void Resolve_MisspeltRootKey_Throws()
    {
        var settings = TinySettings.Create();
        settings["RL3:Algoritm"] = "Rl2";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRL3TrainerFactory>());

        Assert.That(ex!.Message, Does.Contain("Unknown configuration key 'RL3:Algoritm'"));
    }

    [Test]
    public async Task HostStart_InvalidOptions_FailsWithValidateOnStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = TinySettings.Create();
        settings["RL3:Ppo:GaeLambda"] = "1.5";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRL3(builder.Configuration.GetSection(RL3Options.SectionName));
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Does.Contain("PpoOptions.GaeLambda must be in [0, 1]"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task HostStart_JsonSettings_BindsEveryOptionsType()
    {
        const string json = """
            {
              "RL3": {
                "TaskDistribution": "mdp-10x5",
                "Algorithm": "Rl3QLearning",
                "Policy": "Mlp",
                "InteractionBudget": 20,
                "Ppo": { "BatchSteps": 200, "MinibatchSequences": 5, "MaxGradientNorm": 0.5 },
                "Inner": { "Gamma": 0.9, "StandardErrors": true, "LearningRate": 0.5, "VisitCountScale": 5 },
                "GruPolicy": { "HiddenSize": 16 },
                "TransformerPolicy": { "Heads": 2 },
                "MlpPolicy": { "HiddenLayers": 3 },
                "Evaluation": { "TaskCount": 7 }
              }
            }
            """;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddRL3(builder.Configuration.GetSection(RL3Options.SectionName));
        using var host = builder.Build();
        await host.StartAsync();

        var sp = host.Services;
        Assert.Multiple(() =>
        {
            Assert.That(sp.GetRequiredService<IOptions<RL3Options>>().Value.Algorithm, Is.EqualTo(MetaAlgorithm.Rl3QLearning));
            Assert.That(sp.GetRequiredService<IOptions<PpoOptions>>().Value.MaxGradientNorm, Is.EqualTo(0.5));
            Assert.That(sp.GetRequiredService<IOptions<RL3Options>>().Value.InteractionBudget, Is.EqualTo(20));
            Assert.That(sp.GetRequiredService<IOptions<InnerEstimatorOptions>>().Value.VisitCountScale, Is.EqualTo(5.0));
            Assert.That(sp.GetRequiredService<IOptions<InnerEstimatorOptions>>().Value.StandardErrors, Is.True);
            Assert.That(sp.GetRequiredService<IOptions<InnerEstimatorOptions>>().Value.LearningRate, Is.EqualTo(0.5));
            Assert.That(sp.GetRequiredService<IOptions<GruPolicyOptions>>().Value.HiddenSize, Is.EqualTo(16));
            Assert.That(sp.GetRequiredService<IOptions<TransformerPolicyOptions>>().Value.Heads, Is.EqualTo(2));
            Assert.That(sp.GetRequiredService<IOptions<MlpPolicyOptions>>().Value.HiddenLayers, Is.EqualTo(3));
            Assert.That(sp.GetRequiredService<IOptions<EvaluationOptions>>().Value.TaskCount, Is.EqualTo(7));
        });

        var factory = sp.GetRequiredService<IRL3TrainerFactory>();
        var environment = factory.CreateEnvironment();
        using var policy = factory.CreatePolicy(environment);
        Assert.That(environment.Name, Is.EqualTo("RL³ (Q-learning)"));
        Assert.That(environment.EstimatorFactory!(), Is.InstanceOf<TabularQLearning>());
        Assert.That(policy, Is.InstanceOf<MlpPolicy>());
        await host.StopAsync();
    }

    [Test]
    public void UsePreset_ThenConfiguration_ConfigurationWins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RL3:Ppo:Iterations"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddRL3().UsePreset("bandits-h10-rl2-quick").BindConfiguration(configuration.GetSection("RL3"));
        using var provider = services.BuildServiceProvider(Strict);

        var factory = provider.GetRequiredService<IRL3TrainerFactory>();
        using var trainer = factory.CreateTrainer();
        using var policy = trainer.Policy;
        var preset = PresetCatalog.Get("bandits-h10-rl2-quick");

        Assert.That(factory.Options.Algorithm, Is.EqualTo(MetaAlgorithm.Rl2));
        Assert.That(trainer.Options.Iterations, Is.EqualTo(3));
        Assert.That(trainer.Options.BatchSteps, Is.EqualTo(preset.Ppo.BatchSteps));
        Assert.That(trainer.Environment.ObservationSize, Is.EqualTo(preset.CreateEnvironment().ObservationSize));
        Assert.That(trainer.Environment.ValueScale, Is.EqualTo(1.0));
    }

    [Test]
    public void UsePreset_UnknownName_Throws()
    {
        var builder = new ServiceCollection().AddRL3();
        Assert.Throws<ArgumentException>(() => builder.UsePreset("no-such-preset"));
    }
}
