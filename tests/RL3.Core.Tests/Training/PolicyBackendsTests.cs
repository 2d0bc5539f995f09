using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

/// <summary>The backend switch of the run specification, seen from an application without any backend package.</summary>
public sealed class PolicyBackendsTests
{
    private static readonly PolicyShape Shape = new(5, 3, 11);

    [Test]
    public void CreatePolicy_DefaultBackend_IsTheInHouseEngine()
    {
        var preset = new PolicyPreset { Kind = PolicyKind.Gru };
        Assert.That(preset.Backend, Is.EqualTo(PolicyBackends.InHouse));
        using var policy = preset.CreatePolicy(Shape);
        Assert.That(policy, Is.InstanceOf<GruPolicy>());
    }

    [Test]
    public void CreatePolicy_TorchSharpWithoutItsPackage_ThrowsNamingThePackage()
    {
        var preset = new PolicyPreset { Kind = PolicyKind.Gru, Backend = "torchsharp" };
        var e = Assert.Throws<InvalidOperationException>(() => preset.CreatePolicy(Shape));
        Assert.That(e!.Message, Does.Contain("RL3.Core.TorchSharp package"));
        Assert.That(e.Message, Does.Contain("libtorch"));
    }

    [Test]
    public void CreatePolicy_UnknownBackend_ThrowsListingTheBackends()
    {
        var preset = new PolicyPreset { Backend = "onnx" };
        var e = Assert.Throws<ArgumentException>(() => preset.CreatePolicy(Shape));
        Assert.That(e!.Message, Does.Contain("inhouse, torchsharp").And.Contain("'onnx'"));
    }

    [Test]
    public void CreatePolicy_InHouseOnCudaOrWithThreads_ThrowsNamingTheKey()
    {
        var cuda = new PolicyPreset { Kind = PolicyKind.Mlp, Device = "cuda" };
        Assert.That(Assert.Throws<ArgumentException>(() => cuda.CreatePolicy(Shape))!.Message, Does.Contain("policy.device = 'cuda' needs policy.backend = torchsharp"));
        var threads = new PolicyPreset { Kind = PolicyKind.Mlp, ThreadCount = 2 };
        Assert.That(Assert.Throws<ArgumentException>(() => threads.CreatePolicy(Shape))!.Message, Does.Contain("policy.threadCount"));
    }

    [Test]
    public void Set_BackendDeviceAndThreads_RoundTripThroughJson()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("policy.backend", "torchsharp");
        preset.Set("policy.device", "cuda:1");
        preset.Set("policy.threadCount", "2");
        var copy = TrainingPreset.FromJson(preset.ToJson());
        Assert.That((copy.Policy.Backend, copy.Policy.Device, copy.Policy.ThreadCount), Is.EqualTo(("torchsharp", "cuda:1", (int?)2)));
        Assert.That(PresetCatalog.Get("bandits-h10-rl3-quick").Policy.Backend, Is.EqualTo("inhouse"), "presets keep the in-house default");
    }
}
