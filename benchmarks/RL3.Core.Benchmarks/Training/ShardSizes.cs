using System.Globalization;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.Benchmarks.Training;

/// <summary>
/// <c>shard-sizes</c>: every preset's parameter count and the bytes one shard exchanges with the learner per PPO iteration
/// (docs/distributed.md, "Communication per iteration"). Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- shard-sizes</c>.
/// </summary>
internal static class ShardSizes
{
    /// <summary>The length of the preset's flat weight and gradient buffers.</summary>
    public static int ParameterCount(TrainingPreset preset)
    {
        var environment = preset.CreateEnvironment();
        using var policy = preset.CreatePolicy(environment);
        using var optimizer = policy.CreateOptimizer(PpoTrainer.OptimizerSettings(preset.Ppo));
        return optimizer.ParameterCount;
    }

    public static int Run()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine("| preset | policy | parameters P | weights 4P | N | M | minibatches B | epochs E | gradient round trips B·E | per shard per iteration, down (weights) | per shard per iteration, up (gradients) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string name in PresetCatalog.Names)
        {
            var preset = PresetCatalog.Get(name);
            int p = ParameterCount(preset);
            int n = preset.EnvironmentCount, m = preset.Ppo.MinibatchSequences, e = preset.Ppo.Epochs;
            int b = new ShardLayout(n, m, 1).MinibatchCount;
            long weights = 4L * p;
            // Down: the rollout's weights, one weight vector per minibatch, and (ExactFullBatch) one per actor epoch at most.
            int klRounds = preset.Ppo.KlEarlyStop == KlEarlyStop.ExactFullBatch ? e : 0;
            long down = weights * (1 + (b * e) + klRounds);
            long up = weights * b * e;
            Console.WriteLine(string.Create(c, $"| {name} | {preset.Policy.Kind} | {p:N0} | {weights / 1024.0:F1} KiB | {n} | {m} | {b} | {e} | {b * e} | {down / 1048576.0:F1} MiB | {up / 1048576.0:F1} MiB |"));
        }

        return 0;
    }
}
