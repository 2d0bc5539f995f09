using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Hosting;

/// <summary>
/// The default <see cref="IShardWorkerFactory"/>: the specification is a <see cref="TrainingPreset"/> as JSON
/// (<see cref="TrainingPreset.ToJson"/>), built exactly as the learner builds its trainer
/// (<see cref="TrainingPreset.CreateEnvironment"/>, <see cref="TrainingPreset.CreatePolicy"/>, the preset's PPO options with S shards).
/// </summary>
public sealed class PresetShardWorkerFactory : IShardWorkerFactory
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The specification is not a valid preset.</exception>
    public ShardWorkerReplica Create(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var preset = TrainingPreset.FromJson(specification);
        var environment = preset.CreateEnvironment();
        var policy = preset.CreatePolicy(environment);
        try
        {
            return new ShardWorkerReplica(new ShardWorker(policy, environment, preset.Ppo), policy);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }
}
