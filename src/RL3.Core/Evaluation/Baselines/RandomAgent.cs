using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Picks a uniformly random action every step.</summary>
internal sealed class RandomAgent(string name) : IMetaAgent
{
    private RandomSource? _random;
    private int _actions;

    public string Name => name;

    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
        _actions = environment.ActionCount;
    }

    public int Act(ReadOnlySpan<float> observation) => _random!.NextInt(_actions);

    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
    }
}
