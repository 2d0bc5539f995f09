using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// ε-greedy on the inner estimator's Q: with probability ε a uniformly random action, otherwise the argmax of the
/// observation's <c>inner_advantage</c> block ((Q(s,·) − V(s))/c), ties broken uniformly at random.
/// </summary>
internal sealed class EpsilonGreedyAgent(string name, double epsilon) : IMetaAgent
{
    private RandomSource? _random;
    private int _offset;
    private int _actions;

    public string Name => name;

    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        var block = TaskFamilyRequirements.InnerAdvantage(environment, name);
        _offset = block.Offset;
        _actions = block.Length;
        _random = random;
    }

    public int Act(ReadOnlySpan<float> observation)
    {
        if (epsilon > 0 && _random!.NextDouble() < epsilon)
        {
            return _random.NextInt(_actions);
        }

        return ActionSelection.ArgMaxRandomTies(observation.Slice(_offset, _actions), _random!);
    }

    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
    }
}
