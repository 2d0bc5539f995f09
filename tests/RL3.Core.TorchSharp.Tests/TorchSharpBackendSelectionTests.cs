using Microsoft.Extensions.DependencyInjection;
using RL3.Core.DependencyInjection;
using RL3.Core.Training;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>Every entry point reaches the TorchSharp backend: the run specification (and its dotted keys) and <c>AddRL3().UseTorchSharp()</c>.</summary>
public sealed class TorchSharpBackendSelectionTests
{
    [TestCase(PolicyKind.Gru, typeof(TorchGruPolicy))]
    [TestCase(PolicyKind.Mlp, typeof(TorchMlpPolicy))]
    [TestCase(PolicyKind.Transformer, typeof(TorchTransformerPolicy))]
    public void Preset_BackendTorchSharp_BuildsTheTorchPolicyWithTheInHouseInitialWeights(PolicyKind kind, Type expected)
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Policy.Kind = kind;
        var environment = preset.CreateEnvironment();
        using var inHouse = preset.CreatePolicy(environment);
        preset.Set("policy.backend", "torchsharp");
        preset.Set("policy.device", "cpu");
        preset.Validate();
        using var torchPolicy = preset.CreatePolicy(environment);
        Assert.That(torchPolicy, Is.InstanceOf(expected));
        Assert.That(CrossEngine.Parameters(torchPolicy), Is.EqualTo(CrossEngine.Parameters(inHouse)));
    }

    [Test]
    public void Preset_TorchSharpOnAMissingCudaDevice_ThrowsNamingTheDevice()
    {
        Assume.That(global::TorchSharp.torch.cuda.is_available(), Is.False, "this machine has a CUDA device");
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("policy.backend", "torchsharp");
        preset.Set("policy.device", "cuda");
        var e = Assert.Throws<ArgumentException>(() => preset.CreatePolicy(preset.CreateEnvironment()));
        Assert.That(e!.Message, Does.Contain("'cuda' is not available"));
    }

    [Test]
    public void AddRL3_UseTorchSharp_TrainsATorchPolicy()
    {
        var services = new ServiceCollection();
        services.AddRL3().UsePreset("bandits-h10-rl3-quick").ConfigurePpo(p => { p.BatchSteps = 100; p.MinibatchSequences = 5; }).UseTorchSharp(o => o.Device = "cpu");
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        using var trainer = provider.GetRequiredService<IRL3TrainerFactory>().CreateTrainer();
        using var policy = trainer.Policy;
        Assert.That(policy, Is.InstanceOf<TorchGruPolicy>());
        var result = trainer.RunIteration();
        Assert.That(double.IsFinite(result.ReturnMean), Is.True);
    }

    [Test]
    public void UseTorchSharp_BadDevice_ThrowsAtOnce()
    {
        var builder = new ServiceCollection().AddRL3();
        var e = Assert.Throws<ArgumentException>(() => builder.UseTorchSharp(o => o.Device = "tpu"));
        Assert.That(e!.Message, Does.Contain("cpu, cuda or cuda:N"));
    }
}
