using System.Collections.Concurrent;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Evaluation;

/// <summary>A Bernoulli bandit: state 0 → pull → state 1 (absorbing), reward 1 iff u &lt; p_a.</summary>
internal sealed class TestBanditTask(double[] p, double successReward = 1.0) : ITask, ITabularMdp
{
    private RandomSource? _random;
    private int _state;

    public double[] P => p;
    public int ActionCount => p.Length;
    public int ObservationSize => 2;
    public int StateIndex => _state;
    public int MdpStateCount => 2;
    public int MdpActionCount => p.Length;
    public int CurrentMdpState => _state;

    public void Reset(RandomSource random, Span<float> observation)
    {
        _random = random;
        _state = 0;
        observation[0] = 1;
        observation[1] = 0;
    }

    public TaskStep Step(int action, Span<float> observation)
    {
        double reward = _random!.NextDouble() < p[action] ? successReward : 0.0;
        _state = 1;
        observation[0] = 0;
        observation[1] = 1;
        return new TaskStep(reward, true, false);
    }

    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        probabilities.Clear();
        probabilities[1] = 1;
    }

    public double ExpectedReward(int state, int action, int nextState) => state == 0 ? p[action] * successReward : 0;

    public bool IsAbsorbing(int state) => state == 1;

    public string Render() => "bandit";
}

/// <summary>Bandits with p_a ~ U(0,1); records the state of every random source it samples from.</summary>
internal sealed class TestBanditDistribution(int arms = 3, double successReward = 1.0) : ITaskDistribution
{
    public ConcurrentBag<RandomSourceState> SampledFrom { get; } = [];
    public string Name => "test-bandit";
    public int ActionCount => arms;
    public int ObservationSize => 2;
    public int StateCount => 2;
    public int TaskHorizon => 1;

    public ITask Sample(RandomSource random)
    {
        SampledFrom.Add(random.GetState());
        var p = new double[arms];
        for (int a = 0; a < arms; a++)
        {
            p[a] = random.NextDouble();
        }

        return new TestBanditTask(p, successReward);
    }
}

/// <summary>
/// Hand-solvable deterministic MDP. States 0 and 1; action 0 stays, action 1 switches. In state 1 every action pays
/// +1; in state 0 staying pays 0 and switching −0.5. Every episode starts in state 0.
/// </summary>
internal sealed class SwitchMdp : ITask, ITabularMdp
{
    private int _state;

    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateIndex => _state;
    public int MdpStateCount => 2;
    public int MdpActionCount => 2;
    public int CurrentMdpState => _state;

    public void Reset(RandomSource random, Span<float> observation)
    {
        _state = 0;
        Write(observation);
    }

    public TaskStep Step(int action, Span<float> observation)
    {
        double reward = ExpectedReward(_state, action, 0);
        _state = action == 1 ? 1 - _state : _state;
        Write(observation);
        return new TaskStep(reward, false, false);
    }

    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        probabilities.Clear();
        probabilities[action == 1 ? 1 - state : state] = 1;
    }

    public double ExpectedReward(int state, int action, int nextState) => state == 1 ? 1.0 : action == 1 ? -0.5 : 0.0;

    public bool IsAbsorbing(int state) => false;

    public string Render() => $"switch {_state}";

    private void Write(Span<float> observation)
    {
        observation.Clear();
        observation[_state] = 1;
    }
}

internal sealed class SwitchMdpDistribution(int taskHorizon) : ITaskDistribution
{
    public string Name => "test-switch";
    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateCount => 2;
    public int TaskHorizon => taskHorizon;
    public ITask Sample(RandomSource random) => new SwitchMdp();
}

/// <summary>A line 0 → 1 → 2: action 1 moves right, action 0 stays; entering 2 pays +1 and is absorbing. No task horizon.</summary>
internal sealed class LineMdp : ITask, ITabularMdp
{
    private int _state;

    public int ActionCount => 2;
    public int ObservationSize => 3;
    public int StateIndex => _state;
    public int MdpStateCount => 3;
    public int MdpActionCount => 2;
    public int CurrentMdpState => _state;

    public void Reset(RandomSource random, Span<float> observation)
    {
        _state = 0;
        observation.Clear();
        observation[0] = 1;
    }

    public TaskStep Step(int action, Span<float> observation)
    {
        int next = action == 1 ? Math.Min(_state + 1, 2) : _state;
        double reward = ExpectedReward(_state, action, next);
        _state = next;
        observation.Clear();
        observation[_state] = 1;
        return new TaskStep(reward, _state == 2, false);
    }

    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        probabilities.Clear();
        probabilities[action == 1 ? Math.Min(state + 1, 2) : state] = 1;
    }

    public double ExpectedReward(int state, int action, int nextState) => nextState == 2 && state != 2 ? 1.0 : 0.0;

    public bool IsAbsorbing(int state) => state == 2;

    public string Render() => $"line {_state}";
}

internal sealed class LineMdpDistribution : ITaskDistribution
{
    public string Name => "test-line";
    public int ActionCount => 2;
    public int ObservationSize => 3;
    public int StateCount => 3;
    public int TaskHorizon => 0;
    public ITask Sample(RandomSource random) => new LineMdp();
}

/// <summary>A family with continuous observations (StateCount 0) whose tasks are not tabular.</summary>
internal sealed class ContinuousDistribution : ITaskDistribution
{
    public string Name => "test-continuous";
    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateCount => 0;
    public int TaskHorizon => 0;
    public ITask Sample(RandomSource random) => new Meta.ChainTask(2, 2);
}

/// <summary>
/// Start state 0 and an absorbing goal 1. Action 0 enters the goal (+1, the episode ends and the task restarts in 0);
/// action 1 stays in 0 (+0.3). Deterministic; <paramref name="taskHorizon"/> 0 means unbounded episodes.
/// </summary>
internal sealed class GoalOrStayDistribution(int taskHorizon) : ITaskDistribution
{
    public string Name => "test-goal-or-stay";
    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateCount => 2;
    public int TaskHorizon => taskHorizon;
    public ITask Sample(RandomSource random) => new GoalOrStayTask();

    private sealed class GoalOrStayTask : ITask
    {
        private int _state;

        public int ActionCount => 2;
        public int ObservationSize => 2;
        public int StateIndex => _state;

        public void Reset(RandomSource random, Span<float> observation)
        {
            _state = 0;
            observation.Clear();
            observation[0] = 1;
        }

        public TaskStep Step(int action, Span<float> observation)
        {
            _state = action == 0 ? 1 : 0;
            observation.Clear();
            observation[_state] = 1;
            return new TaskStep(action == 0 ? 1.0 : 0.3, _state == 1, false);
        }

        public string Render() => $"goal-or-stay {_state}";
    }
}
