using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class TrainingPresetTests
{
    [Test]
    public void Catalog_HasEveryPaperRunAndQuickPresets()
    {
        string[] expected =
        [
            "bandits-h100-rl2", "bandits-h100-rl3", "bandits-h500-rl2", "bandits-h500-rl3",
            "mdp-h100-rl2", "mdp-h100-rl3", "mdp-h500-rl2", "mdp-h500-rl3",
            "grid11-h250-rl2", "grid11-h250-rl3", "grid11-h250-rl3-coarse",
            "grid13-h350-rl2", "grid13-h350-rl3", "grid13-h350-rl3-coarse",
            "bandits-h10-rl2-quick", "bandits-h10-rl3-quick", "mdp-h20-rl2-quick", "mdp-h20-rl3-quick",
        ];
        Assert.That(PresetCatalog.Names, Is.EquivalentTo(expected));
    }

    [TestCaseSource(typeof(PresetCatalog), nameof(PresetCatalog.Names))]
    public void EveryPreset_ValidatesAndRoundTrips(string name)
    {
        var preset = PresetCatalog.Get(name);
        Assert.DoesNotThrow(preset.Validate);
        Assert.That(preset.Name, Is.EqualTo(name));
        Assert.That(TrainingPreset.FromJson(preset.ToJson()).ToJson(), Is.EqualTo(preset.ToJson()));
    }

    [Test]
    public void PaperPresets_CarryThePapersSettings()
    {
        var grid = PresetCatalog.Get("grid13-h350-rl3");
        Assert.That(grid.InteractionBudget, Is.EqualTo(350));
        Assert.That(grid.Ppo.BatchSteps, Is.EqualTo(33_600));
        Assert.That(grid.Ppo.LearningRate, Is.EqualTo(2e-4));
        Assert.That(grid.Ppo.EntropyCoefficient, Is.EqualTo(0.04));
        Assert.That(grid.Ppo.DecayEntropyCoefficient, Is.False);
        Assert.That(grid.Policy.Kind, Is.EqualTo(PolicyKind.Transformer));

        var bandits = PresetCatalog.Get("bandits-h100-rl2");
        Assert.That(bandits.Algorithm, Is.EqualTo(MetaAlgorithm.Rl2));
        Assert.That(bandits.Ppo.GaeLambda, Is.EqualTo(0.3));
        Assert.That(bandits.EnvironmentCount, Is.EqualTo(320));
        Assert.That(bandits.Ppo.MinibatchSequences * bandits.InteractionBudget, Is.EqualTo(3_200));
    }

    [Test]
    public void CreatePolicy_FillsSpacesAndContext()
    {
        var preset = PresetCatalog.Get("bandits-h100-rl3");
        var spec = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(spec);
        Assert.That(policy, Is.TypeOf<TransformerPolicy>());
        Assert.That(policy.ObservationSize, Is.EqualTo(28)); // RL³ bandits, docs/method.md §2
        Assert.That(policy.MaxSequenceLength, Is.EqualTo(101));
    }

    [Test]
    public void Set_ChangesNestedValuesCaseInsensitively()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("ppo.learningRate", "0.002");
        preset.Set("Policy.Kind", "mlp");
        preset.Set("algorithm", "rl2");
        preset.Set("ppo.maxGradientNorm", "0.5");
        Assert.That(preset.Ppo.LearningRate, Is.EqualTo(0.002));
        Assert.That(preset.Policy.Kind, Is.EqualTo(PolicyKind.Mlp));
        Assert.That(preset.Algorithm, Is.EqualTo(MetaAlgorithm.Rl2));
        Assert.That(preset.Ppo.MaxGradientNorm, Is.EqualTo(0.5));
        Assert.That(preset.Get("ppo.learningRate"), Is.EqualTo("0.002"));
    }

    [Test]
    public void Set_UnknownKey_ThrowsListingTheKeysAndChangesNothing()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        string before = preset.ToJson();
        var ex = Assert.Throws<ArgumentException>(() => preset.Set("ppo.learningRat", "1"));
        Assert.That(ex!.Message, Does.Contain("learningRate"));
        Assert.Throws<ArgumentException>(() => preset.Set("ppo.epochs", "many"));
        Assert.Throws<ArgumentException>(() => preset.Set("ppo", "1"));
        Assert.That(preset.ToJson(), Is.EqualTo(before));
    }

    [Test]
    public void Validate_BadValues_NameTheKey()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("ppo.clipEpsilon", "1.5");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(preset.Validate);
        Assert.That(ex!.ParamName, Is.EqualTo("ClipEpsilon"));

        var coarse = PresetCatalog.Get("bandits-h10-rl3-quick");
        coarse.Set("algorithm", "rl3Coarse");
        Assert.That(Assert.Throws<ArgumentException>(coarse.Validate)!.Message, Does.Contain("clustering radius"));

        var task = PresetCatalog.Get("bandits-h10-rl3-quick");
        task.Set("task", "nope");
        Assert.That(Assert.Throws<ArgumentException>(task.Validate)!.Message, Does.Contain("bandits-k5"));
    }

    [Test]
    public void FromJson_LegacyPpoInteractionBudget_MovesToTheTopLevel()
    {
        var preset = TrainingPreset.FromJson("""{ "name": "old", "task": "bandits-k5", "ppo": { "interactionBudget": 10, "batchSteps": 400, "minibatchSequences": 4 } }""");
        Assert.That(preset.InteractionBudget, Is.EqualTo(10));
        Assert.DoesNotThrow(preset.Validate);
        Assert.That(preset.ToJson(), Does.Not.Contain("\"ppo\": {\n    \"interactionBudget\""));

        var ex = Assert.Throws<FormatException>(() => TrainingPreset.FromJson("""{ "interactionBudget": 20, "ppo": { "interactionBudget": 10 } }"""));
        Assert.That(ex!.Message, Does.Contain("stored once"));
    }

    [Test]
    public void FromJson_LegacyPolicyShapeKeys_AreIgnoredAndTheShapeComesFromTheRun()
    {
        var preset = TrainingPreset.FromJson("""
            { "name": "old", "task": "bandits-k5", "interactionBudget": 10, "ppo": { "batchSteps": 400, "minibatchSequences": 4 },
              "policy": { "kind": "transformer",
                "transformer": { "observationSize": 0, "actionCount": 0, "contextLength": 501, "modelDim": 16, "heads": 2 },
                "gru": { "ObservationSize": 0, "actionCount": 0, "hiddenSize": 32 },
                "mlp": { "observationSize": 0, "actionCount": 0 } } }
            """);
        Assert.DoesNotThrow(preset.Validate);
        Assert.That(preset.Policy.Transformer.ModelDim, Is.EqualTo(16));
        Assert.That(preset.Policy.Gru.HiddenSize, Is.EqualTo(32));
        Assert.That(preset.ToJson(), Does.Not.Contain("observationSize").And.Not.Contain("contextLength"));

        var environment = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(environment);
        Assert.That(policy.ObservationSize, Is.EqualTo(environment.ObservationSize));
        Assert.That(policy.MaxSequenceLength, Is.EqualTo(11));
    }

    [Test]
    public void Set_InnerKeys_ReachTheEnvironmentsEstimatorOptions()
    {
        var preset = PresetCatalog.Get("mdp-h20-rl3-quick");
        preset.Set("inner.gamma", "0.99");
        preset.Set("inner.maxSweeps", "3");
        preset.Set("inner.warmStart", "true");
        preset.Set("inner.laplaceSmoothing", "0.5");
        var inner = preset.CreateEnvironment().Inner!;
        Assert.That((inner.Gamma, inner.MaxSweeps, inner.WarmStart, inner.LaplaceSmoothing), Is.EqualTo((0.99, (int?)3, (bool?)true, (double?)0.5)));
        Assert.That(inner.Epsilon, Is.EqualTo(0.01), "unset: the family's ε");
        Assert.That(preset.Get("inner.gamma"), Is.EqualTo("0.99"));
    }

    [Test]
    public void Set_UnknownInnerKey_ListsTheInnerKeys()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        var ex = Assert.Throws<ArgumentException>(() => preset.Set("inner.gama", "0.9"));
        Assert.That(ex!.Message, Does.Contain("inner.gama").And.Contain("gamma"));
    }

    [Test]
    public void Validate_InnerOutOfRange_NamesTheKeyTheValueAndTheRange()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("inner.gamma", "1.5");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(preset.Validate);
        Assert.That(ex!.ParamName, Is.EqualTo("Gamma"));
        Assert.That(ex.Message, Does.Contain("Gamma must be in [0, 1]; got 1.5"));
    }

    [Test]
    public void FromJson_UnknownKey_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => TrainingPreset.FromJson("""{ "name": "x", "tsk": "bandits-k5" }"""));
        Assert.That(ex!.Message, Does.Contain("tsk"));
    }

    [Test]
    public void Get_UnknownPreset_ListsNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => PresetCatalog.Get("nope"));
        Assert.That(ex!.Message, Does.Contain("bandits-h10-rl3-quick"));
    }
}
