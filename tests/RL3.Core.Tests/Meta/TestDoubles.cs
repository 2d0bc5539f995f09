using RL3.Core.Inner;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Meta;

/// <summary>A chain of S states: action 0 moves right with probability 0.8, other actions stay. The last state is absorbing (+1).</summary>
internal sealed class ChainTask(int states, int actions, double rewardOverride = double.NaN, bool useOverride = false) : ITask
{
    private RandomSource? _random;
    private int _state;
    private bool _ended = true;

    public int ActionCount => actions;
    public int ObservationSize => states;
    public int StateIndex => _state;

    public void Reset(RandomSource random, Span<float> observation)
    {
        _random = random;
        _state = 0;
        _ended = false;
        Write(observation);
    }

    public TaskStep Step(int action, Span<float> observation)
    {
        if ((uint)action >= (uint)actions)
        {
            throw new ArgumentOutOfRangeException(nameof(action));
        }

        if (_ended)
        {
            throw new InvalidOperationException("ended");
        }

        if (action == 0 && _random!.NextDouble() < 0.8)
        {
            _state++;
        }

        bool terminated = _state == states - 1;
        _ended = terminated;
        double reward = useOverride ? rewardOverride : terminated ? 1.0 : 0.01 * action + 0.001 * _random!.NextDouble();
        Write(observation);
        return new TaskStep(reward, terminated, false);
    }

    public string Render() => $"chain state {_state}/{states}";

    private void Write(Span<float> observation)
    {
        observation.Clear();
        observation[_state] = 1f;
    }
}

internal sealed class ChainDistribution(int states = 4, int actions = 3, int taskHorizon = 0) : ITaskDistribution
{
    public string Name => "test-chain";
    public int ActionCount => actions;
    public int ObservationSize => states;
    public int StateCount => states;
    public int TaskHorizon => taskHorizon;
    public ITask Sample(RandomSource random) => new ChainTask(states, actions);
}

/// <summary>Records transitions and reports Q(s,a) = 10·s + a, SE = 0.5·a, N = visit counts.</summary>
internal sealed class RecordingEstimator(int actions, int capacity) : IInnerRLEstimator
{
    private readonly double[] _counts = new double[capacity * actions];

    public List<InnerTransition> Transitions { get; } = [];
    public int ResetCount { get; private set; }
    public int LastFixedStateCount { get; private set; } = -1;
    public int ActionCount => actions;
    public int StateCapacity => capacity;
    public bool ProvidesStandardErrors => true;

    public void Reset(int fixedStateCount)
    {
        ResetCount++;
        LastFixedStateCount = fixedStateCount;
        Array.Clear(_counts);
        Transitions.Clear();
    }

    public void Observe(in InnerTransition transition)
    {
        Transitions.Add(transition);
        _counts[transition.State * actions + transition.Action]++;
    }

    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        for (int a = 0; a < actions; a++)
        {
            q[a] = 10.0 * state + a;
            standardErrorQ[a] = 0.5 * a;
            visitCounts[a] = _counts[state * actions + a];
        }

        return new InnerValue(10.0 * state + actions - 1, 0.5 * (actions - 1));
    }
}

/// <summary>Rows are the discrete state indices.</summary>
internal sealed class IdentityIndexer(int states) : IStateIndexer
{
    public int Count => states;
    public int Capacity => states;
    public int FixedStateCount => states;
    public void Reset()
    {
    }

    public int GetOrAdd(int stateIndex, ReadOnlySpan<float> observation) => stateIndex;
}
