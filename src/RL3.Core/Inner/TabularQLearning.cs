namespace RL3.Core.Inner;

/// <summary>Tabular Q-learning as an inner estimator: one temporal-difference update per transition.</summary>
/// <remarks>
/// Watkins' Q-learning: <c>Q(s,a) ← Q(s,a) + α (target − Q(s,a))</c> with <c>target = r</c> when s' is absorbing
/// and <c>target = r + γ max_a' Q(s',a')</c> otherwise. N(s,a) counts visits. No standard errors (zeros).
/// Not thread-safe; one instance per environment slot.
/// </remarks>
public sealed class TabularQLearning : IInnerRLEstimator
{
    private readonly int _stateCapacity;
    private readonly int _actionCount;
    private readonly double _alpha;
    private readonly double _gamma;
    private readonly double _initialValue;
    private readonly double[] _q;
    private readonly int[] _counts;
    private int _fixedStateCount;

    /// <summary>Creates the estimator.</summary>
    /// <param name="stateCapacity">Maximum number of state rows (at least 1).</param>
    /// <param name="actionCount">Number of actions (at least 1).</param>
    /// <param name="options">Options (null for the defaults); copied and validated.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument or option is out of range.</exception>
    public TabularQLearning(int stateCapacity, int actionCount, TabularQLearningOptions? options = null)
    {
        options ??= new TabularQLearningOptions();
        options.Validate();
        if (stateCapacity < 1)
        {
            Guard.ThrowOutOfRange(stateCapacity, "in [1, int.MaxValue]", nameof(stateCapacity));
        }

        if (actionCount < 1 || (long)stateCapacity * actionCount > int.MaxValue / 8)
        {
            Guard.ThrowOutOfRange(actionCount, "in [1, int.MaxValue / 8 / stateCapacity]", nameof(actionCount));
        }

        _stateCapacity = stateCapacity;
        _actionCount = actionCount;
        _alpha = options.LearningRate;
        _gamma = options.Gamma;
        _initialValue = options.InitialValue;
        _q = new double[stateCapacity * actionCount];
        _counts = new int[stateCapacity * actionCount];
        Array.Fill(_q, _initialValue);
    }

    /// <inheritdoc/>
    public int ActionCount => _actionCount;

    /// <inheritdoc/>
    public int StateCapacity => _stateCapacity;

    /// <inheritdoc/>
    public bool ProvidesStandardErrors => false;

    /// <inheritdoc/>
    public void Reset(int fixedStateCount)
    {
        if ((uint)fixedStateCount > (uint)_stateCapacity)
        {
            Guard.ThrowOutOfRange(fixedStateCount, "in [0, " + _stateCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", nameof(fixedStateCount));
        }

        _fixedStateCount = fixedStateCount;
        Array.Fill(_q, _initialValue);
        Array.Clear(_counts);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A row or the action is out of range, or the reward is not finite; nothing changes.</exception>
    public void Observe(in InnerTransition transition)
    {
        int limit = RowLimit;
        Guard.Index(transition.State, limit, nameof(transition), "transition.State");
        Guard.Index(transition.Action, _actionCount, nameof(transition), "transition.Action");
        Guard.Index(transition.NextState, limit, nameof(transition), "transition.NextState");
        if (!double.IsFinite(transition.Reward))
        {
            Guard.ThrowOutOfRange(transition.Reward, "finite (not NaN or ±∞)", nameof(transition), "transition.Reward");
        }

        int sa = (transition.State * _actionCount) + transition.Action;
        double target = transition.Reward;
        if (!transition.Absorbing)
        {
            target += _gamma * Max(transition.NextState);
        }

        _q[sa] += _alpha * (target - _q[sa]);
        _counts[sa]++;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="ActionCount"/>.</exception>
    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        Guard.Index(state, RowLimit, nameof(state));
        int a = _actionCount;
        Guard.Length(q.Length, a, nameof(q), "the action count");
        Guard.Length(standardErrorQ.Length, a, nameof(standardErrorQ), "the action count");
        Guard.Length(visitCounts.Length, a, nameof(visitCounts), "the action count");
        int offset = state * a;
        _q.AsSpan(offset, a).CopyTo(q);
        standardErrorQ.Clear();
        for (int i = 0; i < a; i++)
        {
            visitCounts[i] = _counts[offset + i];
        }

        return new InnerValue(Max(state), 0.0);
    }

    private int RowLimit => _fixedStateCount > 0 ? _fixedStateCount : _stateCapacity;

    private double Max(int state)
    {
        int offset = state * _actionCount;
        double best = _q[offset];
        for (int a = 1; a < _actionCount; a++)
        {
            best = Math.Max(best, _q[offset + a]);
        }

        return best;
    }
}
