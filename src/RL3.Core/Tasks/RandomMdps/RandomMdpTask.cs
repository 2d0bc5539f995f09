using System.Globalization;
using System.Text;
using RL3.Core.Randomness;

namespace RL3.Core.Tasks.RandomMdps;

/// <summary>
/// One random tabular MDP: episodes start in state 0; action a in state s moves to s' ~ T(·|s,a) and pays
/// R(s,a) + σ·N(0, 1). No state is absorbing.
/// </summary>
/// <remarks>
/// The task truncates its own episodes: the TH-th step after a reset returns
/// <see cref="TaskStep.Truncated"/> = true (so the task is correct when used on its own; a meta-environment
/// that also counts TH sees the same boundary). Each step consumes one uniform draw for the next state (inverse
/// CDF over T(·|s,a)) followed by one Gaussian draw for the reward noise. The observation is the one-hot state.
/// The true MDP's expected reward is R(s,a) for every s'.
/// </remarks>
public sealed class RandomMdpTask : ITask, ITabularMdp
{
    private readonly int _stateCount;
    private readonly int _actionCount;
    private readonly double[] _transitions;   // [s, a, s']
    private readonly double[] _meanRewards;   // [s, a]
    private readonly int _taskHorizon;
    private readonly double _noise;
    private RandomSource? _random;
    private int _state;
    private int _tau;
    private bool _started;
    private bool _ended;

    internal RandomMdpTask(int stateCount, int actionCount, double[] transitions, double[] meanRewards, int taskHorizon, double rewardNoise)
    {
        _stateCount = stateCount;
        _actionCount = actionCount;
        _transitions = transitions;
        _meanRewards = meanRewards;
        _taskHorizon = taskHorizon;
        _noise = rewardNoise;
    }

    /// <summary>The task horizon TH after which the task truncates its episode.</summary>
    public int TaskHorizon => _taskHorizon;

    /// <summary>Steps taken in the current episode (τ).</summary>
    public int EpisodeStep => _tau;

    /// <summary>The mean reward R(s,a).</summary>
    /// <param name="state">The state s.</param>
    /// <param name="action">The action a.</param>
    /// <returns>R(s,a).</returns>
    public double GetMeanReward(int state, int action)
    {
        Guard.InRange(state, 0, _stateCount - 1, nameof(state));
        Guard.InRange(action, 0, _actionCount - 1, "action");
        return _meanRewards[state * _actionCount + action];
    }

    /// <inheritdoc />
    public int ActionCount => _actionCount;

    /// <inheritdoc />
    public int ObservationSize => _stateCount;

    /// <inheritdoc />
    public int StateIndex => _state;

    /// <inheritdoc />
    public int MdpStateCount => _stateCount;

    /// <inheritdoc />
    public int MdpActionCount => _actionCount;

    /// <inheritdoc />
    public int CurrentMdpState => _state;

    /// <inheritdoc />
    public void Reset(RandomSource random, Span<float> observation)
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.Length(observation.Length, _stateCount, nameof(observation));
        _random = random;
        _state = 0;
        _tau = 0;
        _started = true;
        _ended = false;
        observation.Clear();
        observation[0] = 1f;
    }

    /// <inheritdoc />
    public TaskStep Step(int action, Span<float> observation)
    {
        Guard.InRange(action, 0, _actionCount - 1, "action");
        Guard.Length(observation.Length, _stateCount, nameof(observation));
        Guard.EpisodeRunning(_started, _ended);
        int row = _state * _actionCount + action;
        ReadOnlySpan<double> t = _transitions.AsSpan(row * _stateCount, _stateCount);
        double u = _random!.NextDouble();
        int next = -1;
        int lastPositive = 0;
        double cumulative = 0;
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] > 0)
            {
                lastPositive = i;
                cumulative += t[i];
                if (u < cumulative)
                {
                    next = i;
                    break;
                }
            }
        }

        if (next < 0)
        {
            next = lastPositive; // rounding left the cumulative sum just below u
        }

        double reward = _meanRewards[row] + _noise * _random.NextGaussian();
        _state = next;
        _tau++;
        bool truncated = _tau >= _taskHorizon;
        _ended = truncated;
        observation.Clear();
        observation[next] = 1f;
        return new TaskStep(reward, Terminated: false, Truncated: truncated);
    }

    /// <inheritdoc />
    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        Guard.InRange(state, 0, _stateCount - 1, nameof(state));
        Guard.InRange(action, 0, _actionCount - 1, "action");
        Guard.Length(probabilities.Length, _stateCount, nameof(probabilities));
        _transitions.AsSpan((state * _actionCount + action) * _stateCount, _stateCount).CopyTo(probabilities);
    }

    /// <inheritdoc />
    public double ExpectedReward(int state, int action, int nextState)
    {
        Guard.InRange(nextState, 0, _stateCount - 1, nameof(nextState));
        return GetMeanReward(state, action);
    }

    /// <inheritdoc />
    public bool IsAbsorbing(int state)
    {
        Guard.InRange(state, 0, _stateCount - 1, nameof(state));
        return false;
    }

    /// <inheritdoc />
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Random MDP, {_stateCount} states x {_actionCount} actions, TH = {_taskHorizon}; state {_state}, step {_tau}");
        sb.AppendLine();
        for (int s = 0; s < _stateCount; s++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  R({s},·) =");
            for (int a = 0; a < _actionCount; a++)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {_meanRewards[s * _actionCount + a],7:0.000}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }
}
