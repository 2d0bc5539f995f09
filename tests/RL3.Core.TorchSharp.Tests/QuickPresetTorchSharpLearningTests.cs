using RL3.Core.Training;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>
/// Does it learn on TorchSharp? <c>rl3 train --preset bandits-h10-rl3-quick --set policy.backend=torchsharp</c> through the API:
/// the preset's GRU on libtorch (CPU, one thread), trained by the unchanged trainer and evaluated on 1000 held-out tasks.
/// </summary>
[Category("Slow")]
public sealed class QuickPresetTorchSharpLearningTests
{
    // Issue target: the in-house engine's level, ≥ 6.3 mean return on 1000 held-out bandit tasks with H = 10 (random 5.0, Gittins 6.6).
    [Test]
    public void BanditsH10Rl3_OnTorchSharp_ReachesAtLeast6Point3()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        preset.Set("policy.backend", "torchsharp");
        preset.Set("policy.threadCount", "1");
        preset.Validate();
        var spec = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(spec);
        Assert.That(policy, Is.InstanceOf<TorchGruPolicy>());
        using var trainer = new PpoTrainer(policy, spec, preset.Ppo);
        var started = System.Diagnostics.Stopwatch.StartNew();
        trainer.Train();
        var result = PolicyEvaluator.Evaluate(policy, spec, preset.Evaluation.TaskCount, preset.Evaluation.Seed, preset.Evaluation.Selection);
        TestContext.Out.WriteLine($"torchsharp: {result.Mean:F3} ± {result.StandardError:F3} on {preset.Evaluation.TaskCount} held-out tasks after {trainer.Iteration} iterations, {started.Elapsed.TotalSeconds:F0} s");
        Assert.That(result.Mean, Is.GreaterThanOrEqualTo(6.3));
    }
}
