using System.Globalization;
using System.Text;
using RL3.Core.Randomness;

namespace RL3.Core.Tasks.Bandits;

/// <summary>
/// One Bernoulli bandit: state 0 (start) → pull arm a → state 1 (pulled, absorbing) with reward 1 with
/// probability p_a (else 0). Every episode is one step long and ends with <see cref="TaskStep.Terminated"/>.
/// </summary>
/// <remarks>
/// The observation is the one-hot state (length 2); after the pull it shows the absorbing "pulled" state.
/// A success probability outside [0, 1] is kept as drawn: p &lt; 0 never pays, p &gt; 1 always pays
/// (one uniform draw u ∈ [0, 1) per pull, paying iff u &lt; p). The true MDP (<see cref="ITabularMdp"/>) has
/// expected reward clamp(p_a, 0, 1) for the pull and 0 from the absorbing state.
/// </remarks>
public sealed class BernoulliBanditTask : ITask, ITabularMdp
{
    /// <summary>Number of MDP states: start (0) and pulled (1).</summary>
    public const int StateCount = 2;

    private readonly double[] _p;
    private RandomSource? _random;
    private int _state;
    private bool _started;
    private bool _ended;

    /// <summary>Creates a bandit with the given success probabilities (one arm per entry).</summary>
    /// <param name="successProbabilities">p_a per arm; finite, any sign (see the remarks).</param>
    /// <exception cref="ArgumentException">No arms, or a probability is NaN or infinite.</exception>
    public BernoulliBanditTask(ReadOnlySpan<double> successProbabilities)
        : this(Validate(successProbabilities), copy: false)
    {
    }

    internal BernoulliBanditTask(double[] successProbabilities, bool copy)
    {
        _p = copy ? (double[])successProbabilities.Clone() : successProbabilities;
    }

    /// <summary>Number of arms k.</summary>
    public int ArmCount => _p.Length;

    /// <summary>The success probability of an arm as drawn (may lie outside [0, 1] for the OOD prior).</summary>
    /// <param name="arm">The arm, in [0, k).</param>
    /// <returns>p_arm.</returns>
    public double GetSuccessProbability(int arm)
    {
        Guard.InRange(arm, 0, _p.Length - 1, nameof(arm));
        return _p[arm];
    }

    /// <inheritdoc />
    public int ActionCount => _p.Length;

    /// <inheritdoc />
    public int ObservationSize => StateCount;

    /// <inheritdoc />
    public int StateIndex => _state;

    /// <inheritdoc />
    public int MdpStateCount => StateCount;

    /// <inheritdoc />
    public int MdpActionCount => _p.Length;

    /// <inheritdoc />
    public int CurrentMdpState => _state;

    /// <inheritdoc />
    public void Reset(RandomSource random, Span<float> observation)
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.Length(observation.Length, StateCount, nameof(observation));
        _random = random;
        _state = 0;
        _started = true;
        _ended = false;
        observation[0] = 1f;
        observation[1] = 0f;
    }

    /// <inheritdoc />
    public TaskStep Step(int action, Span<float> observation)
    {
        Guard.InRange(action, 0, _p.Length - 1, "action");
        Guard.Length(observation.Length, StateCount, nameof(observation));
        Guard.EpisodeRunning(_started, _ended);
        double reward = _random!.NextDouble() < _p[action] ? 1.0 : 0.0;
        _state = 1;
        _ended = true;
        observation[0] = 0f;
        observation[1] = 1f;
        return new TaskStep(reward, Terminated: true, Truncated: false);
    }

    /// <inheritdoc />
    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        Guard.InRange(state, 0, StateCount - 1, nameof(state));
        Guard.InRange(action, 0, _p.Length - 1, "action");
        Guard.Length(probabilities.Length, StateCount, nameof(probabilities));
        probabilities[0] = 0;
        probabilities[1] = 1;
    }

    /// <inheritdoc />
    public double ExpectedReward(int state, int action, int nextState)
    {
        Guard.InRange(state, 0, StateCount - 1, nameof(state));
        Guard.InRange(action, 0, _p.Length - 1, "action");
        Guard.InRange(nextState, 0, StateCount - 1, nameof(nextState));
        return state == 0 ? Math.Clamp(_p[action], 0.0, 1.0) : 0.0;
    }

    /// <inheritdoc />
    public bool IsAbsorbing(int state)
    {
        Guard.InRange(state, 0, StateCount - 1, nameof(state));
        return state == 1;
    }

    /// <inheritdoc />
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Bernoulli bandit, {_p.Length} arms, state: {(_state == 0 ? "start" : "pulled")}");
        sb.AppendLine();
        for (int a = 0; a < _p.Length; a++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  arm {a}: p = {_p[a]:0.000}");
            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static double[] Validate(ReadOnlySpan<double> p)
    {
        if (p.IsEmpty)
        {
            throw new ArgumentException("successProbabilities must contain at least 1 arm.", "successProbabilities");
        }

        for (int a = 0; a < p.Length; a++)
        {
            if (!double.IsFinite(p[a]))
            {
                throw new ArgumentException($"successProbabilities[{a}] must be a finite number (got {p[a]}).", "successProbabilities");
            }
        }

        return p.ToArray();
    }
}
