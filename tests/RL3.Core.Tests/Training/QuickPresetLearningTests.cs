using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

/// <summary>
/// Does it learn? The quick presets are meta-trained from scratch and evaluated on 1000 held-out test tasks
/// (minutes on two cores; category Slow, included in CI).
/// </summary>
[Category("Slow")]
public sealed class QuickPresetLearningTests
{
    private static (MethodResult Result, TrainingPreset Preset) TrainAndEvaluate(string presetName)
    {
        var preset = PresetCatalog.Get(presetName);
        preset.Validate();
        var spec = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(spec);
        using var trainer = new PpoTrainer(policy, spec, preset.Ppo);
        trainer.Train();
        var result = PolicyEvaluator.Evaluate(policy, spec, preset.Evaluation.TaskCount, preset.Evaluation.Seed, preset.Evaluation.Selection);
        TestContext.Out.WriteLine($"{presetName}: {result.Mean:F3} ± {result.StandardError:F3} on {preset.Evaluation.TaskCount} held-out tasks after {trainer.Iteration} iterations");
        return (result, preset);
    }

    // Issue target: RL² and RL³ reach ≥ 6.3 mean return on 1000 held-out bandit tasks with H = 10 (random 5.0, Gittins 6.6).
    [TestCase("bandits-h10-rl3-quick")]
    [TestCase("bandits-h10-rl2-quick")]
    public void BanditsH10_ReachesAtLeast6Point3(string presetName)
    {
        var (result, _) = TrainAndEvaluate(presetName);
        Assert.That(result.Mean, Is.GreaterThanOrEqualTo(6.3));
    }

    // Issue target: on random MDPs 10×5 with H = 20, RL³ beats the inner-greedy baseline (greedy on its own value-iteration Q).
    [Test]
    public void MdpH20_Rl3BeatsInnerGreedy()
    {
        var (rl3, preset) = TrainAndEvaluate("mdp-h20-rl3-quick");
        var distribution = TaskCatalog.Create(preset.Task);
        var report = new MetaEvaluator(new EvaluationOptions
        {
            TaskCount = preset.Evaluation.TaskCount,
            InteractionBudget = preset.InteractionBudget,
            Seed = preset.Evaluation.Seed,
            RecordAdaptationCurve = false,
        }).Evaluate(distribution, [new EpsilonGreedyAgentFactory(0.0, GreedyValueSource.ModelBasedValueIteration, "inner-greedy")]);
        var greedy = report.Methods[0];

        // Paired over the same tasks: the difference's standard error is far smaller than either's.
        var differences = rl3.TaskReturns.Zip(greedy.TaskReturns, (a, b) => a - b).ToArray();
        double mean = differences.Average();
        double se = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1) / differences.Length);
        TestContext.Out.WriteLine($"inner-greedy: {greedy.Mean:F3} ± {greedy.StandardError:F3}; paired RL³ − greedy = {mean:F3} ± {se:F3}");
        Assert.That(mean, Is.GreaterThan(2 * se), "RL³ must beat inner-greedy by more than two paired standard errors");
    }
}
