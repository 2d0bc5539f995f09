using RL3.Core.Inner;

namespace CustomInnerEstimator;

/// <summary>
/// A user-written inner RL algorithm: averaging Q-learning with an optimism bonus that shrinks with the visit count,
/// Q⁺(s,a) = Q̂(s,a) + β / √(N(s,a) + 1), where Q̂(s,a) is the running mean of the targets r + γ·max_a' Q̂(s',a')
/// (r alone when s' is absorbing). Unvisited pairs start at 0 and carry the full bonus β.
/// </summary>
/// <remarks>
/// An <see cref="IInnerRLEstimator"/> keeps one table per meta-episode: <see cref="Reset"/> forgets everything,
/// <see cref="Observe"/> learns from one transition, <see cref="Estimate"/> writes the current values for one state.
/// <see cref="Observe"/> and <see cref="Estimate"/> run at every environment step, so they do not allocate.
/// </remarks>
public sealed class OptimisticCountEstimator : IInnerRLEstimator
{
    private readonly double _gamma;
    private readonly double _bonus;
    private readonly double[] _q;
    private readonly int[] _n;

    /// <summary>Initializes a new instance of the <see cref="OptimisticCountEstimator"/> class.</summary>
    /// <param name="stateCapacity">Table rows.</param>
    /// <param name="actionCount">Actions A.</param>
    /// <param name="gamma">Discount γ in [0, 1].</param>
    /// <param name="bonus">Optimism scale β ≥ 0.</param>
    public OptimisticCountEstimator(int stateCapacity, int actionCount, double gamma = 0.9, double bonus = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gamma);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gamma, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(bonus);
        StateCapacity = stateCapacity;
        ActionCount = actionCount;
        _gamma = gamma;
        _bonus = bonus;
        _q = new double[stateCapacity * actionCount];
        _n = new int[stateCapacity * actionCount];
    }

    /// <inheritdoc />
    public int ActionCount { get; }

    /// <inheritdoc />
    public int StateCapacity { get; }

    /// <inheritdoc />
    public bool ProvidesStandardErrors => false;

    /// <inheritdoc />
    public void Reset(int fixedStateCount)
    {
        Array.Clear(_q);
        Array.Clear(_n);
    }

    /// <inheritdoc />
    public void Observe(in InnerTransition transition)
    {
        int sa = (transition.State * ActionCount) + transition.Action;
        double target = transition.Reward;
        if (!transition.Absorbing)
        {
            target += _gamma * MaxMean(transition.NextState);
        }

        int n = ++_n[sa];
        _q[sa] += (target - _q[sa]) / n;   // running mean: learning rate 1/N(s,a)
    }

    /// <inheritdoc />
    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        int offset = state * ActionCount;
        double best = double.NegativeInfinity;
        for (int a = 0; a < ActionCount; a++)
        {
            int n = _n[offset + a];
            q[a] = _q[offset + a] + (_bonus / Math.Sqrt(n + 1));
            visitCounts[a] = n;
            best = Math.Max(best, q[a]);
        }

        standardErrorQ.Clear();
        return new InnerValue(best, 0.0);
    }

    private double MaxMean(int state)
    {
        int offset = state * ActionCount;
        double best = _q[offset];
        for (int a = 1; a < ActionCount; a++)
        {
            best = Math.Max(best, _q[offset + a]);
        }

        return best;
    }
}
