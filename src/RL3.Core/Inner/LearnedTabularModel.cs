using System.Globalization;
using System.Runtime.CompilerServices;

namespace RL3.Core.Inner;

/// <summary>
/// The learned tabular MDP of one meta-episode: visit counts N(s,a) and N(s,a,s'), mean rewards (with their
/// standard errors), absorbing flags and Laplace-smoothed transition probabilities.
/// </summary>
/// <remarks>
/// <para>
/// Definitions (docs/method.md §3, the reference code's <c>learned_mdp.jl</c>), with n_s the number of known states:
/// </para>
/// <list type="bullet">
/// <item>absorbing s: T(s|s,a) = 1 (self-loop), R = 0;</item>
/// <item>N(s,a) = 0: T(s'|s,a) = 1/n_s for every known s', R = 0;</item>
/// <item>otherwise T(s'|s,a) = (N(s,a,s') + λ) / (N(s,a) + λ n_s) and R(s,a,s') = the mean observed reward
/// (0 for never-observed s').</item>
/// </list>
/// <para>
/// Standard errors: SE_T = √(1/12) if N(s,a) = 0, else √(p(1−p)/(N(s,a) + λ n_s)) with p = T(s'|s,a);
/// SE_R = 1 with fewer than 2 observations of (s,a,s'), else σ/√(n−1) with σ the population standard deviation
/// of the observed rewards (for an absorbing s, whose reward is 0 by definition, SE_R = 0 from 2 observations on,
/// as in the reference code).
/// </para>
/// <para>
/// n_s: with a fixed state count S (discrete tasks) every row in [0, S) is known; otherwise a row becomes known
/// when it first appears as s or s' of a transition. The observed successors of each (s,a) are kept as a compact
/// list in a block of its own (4 slots at a fixed home position; a pair with more successors moves to a block of
/// twice the size in an overflow store), so adding a transition never shifts other pairs' lists. (The value-iteration
/// sweep reads its own copy, laid out state by state with the actions side by side, which
/// <see cref="ModelBasedValueIteration"/> keeps in step with this model.) All storage is allocated for the capacity up front;
/// the overflow store grows (doubling) only when a meta-episode needs more room than any before it, and never
/// shrinks, so steady-state updates allocate nothing.
/// </para>
/// </remarks>
public sealed class LearnedTabularModel
{
    private static readonly double UniformStandardError = Math.Sqrt(1.0 / 12.0);

    private readonly int _stateCapacity;
    private readonly int _actionCount;
    private readonly double _lambda;

    private readonly bool[] _known;
    private readonly int[] _knownRows;
    private readonly bool[] _absorbing;
    private readonly int[] _saCount;
    private readonly double[] _rewardNumerator;
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly int[] _blockCapacity;
    private readonly int _homeSize;

    private int _fixedStateCount;
    private int _knownCount;
    private int _edgeCount;
    private int _arenaEnd;
    private int _lastAddedPair = -1;
    private long _transitionCount;
    private long _epoch;
    private int _absorbingCount;

    private int[] _successor;
    private double[] _edgeVisits;
    private double[] _meanReward;
    private double[] _rewardM2;
    private double[] _rewardVarianceOfMean;

    /// <summary>Creates an empty model (discovered-rows mode until <see cref="Reset"/> says otherwise).</summary>
    /// <param name="stateCapacity">Maximum number of state rows (at least 1).</param>
    /// <param name="actionCount">Number of actions A (at least 1).</param>
    /// <param name="laplaceSmoothing">The Laplace smoothing λ (finite, at least 0).</param>
    /// <param name="successorCapacity">Initial room in the overflow store (for pairs with more than 4 distinct successors); 0 picks capacity·A (at least 64).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public LearnedTabularModel(int stateCapacity, int actionCount, double laplaceSmoothing, int successorCapacity = 0)
    {
        if (stateCapacity < 1)
        {
            Guard.ThrowOutOfRange(stateCapacity, "in [1, int.MaxValue]", nameof(stateCapacity));
        }

        if (actionCount < 1)
        {
            Guard.ThrowOutOfRange(actionCount, "in [1, int.MaxValue]", nameof(actionCount));
        }

        if (!(laplaceSmoothing >= 0) || double.IsInfinity(laplaceSmoothing))
        {
            Guard.ThrowOutOfRange(laplaceSmoothing, "in [0, ∞) (finite)", nameof(laplaceSmoothing));
        }

        if (successorCapacity < 0)
        {
            Guard.ThrowOutOfRange(successorCapacity, "in [0, int.MaxValue]", nameof(successorCapacity));
        }

        long pairs = (long)stateCapacity * actionCount;
        if (pairs > int.MaxValue / 16)
        {
            Guard.ThrowOutOfRange(stateCapacity, "in [1, " + (int.MaxValue / 16).ToString(CultureInfo.InvariantCulture) + "]", nameof(stateCapacity), "stateCapacity × actionCount");
        }

        _stateCapacity = stateCapacity;
        _actionCount = actionCount;
        _lambda = laplaceSmoothing;
        _known = new bool[stateCapacity];
        _knownRows = new int[stateCapacity];
        _absorbing = new bool[stateCapacity];
        _saCount = new int[pairs];
        _rewardNumerator = new double[pairs];
        _start = new int[pairs];
        _length = new int[pairs];
        _blockCapacity = new int[pairs];
        _homeSize = (int)(BlockSize * pairs);

        int overflow = successorCapacity > 0 ? successorCapacity : (int)Math.Max(64, pairs);
        int edges = (int)Math.Min(int.MaxValue / 8, (long)_homeSize + overflow);
        _successor = new int[edges];
        _edgeVisits = new double[edges];
        _meanReward = new double[edges];
        _rewardM2 = new double[edges];
        _rewardVarianceOfMean = new double[edges];
        ResetBlocks();
    }

    /// <summary>Maximum number of state rows.</summary>
    public int StateCapacity => _stateCapacity;

    /// <summary>Number of actions A.</summary>
    public int ActionCount => _actionCount;

    /// <summary>The Laplace smoothing λ.</summary>
    public double LaplaceSmoothing => _lambda;

    /// <summary>The fixed state count given to <see cref="Reset"/> (0 when rows are discovered).</summary>
    public int FixedStateCount => _fixedStateCount;

    /// <summary>The number of known states n_s.</summary>
    public int KnownStateCount => _knownCount;

    /// <summary>The known state rows, in the order they became known (0, 1, …, S−1 with a fixed state count).</summary>
    public ReadOnlySpan<int> KnownStates => new(_knownRows, 0, _knownCount);

    /// <summary>Number of distinct observed (s,a,s') triples.</summary>
    public int ObservedTripleCount => _edgeCount;

    /// <summary>Number of transitions added since the last <see cref="Reset"/>.</summary>
    public long TransitionCount => _transitionCount;

    /// <summary>Slots per block: a pair's successor list occupies a whole number of blocks of this size.</summary>
    internal const int BlockSize = 4;

    // Internal views for the estimator (its SweepPlan and the standard-error sweep), indexed by (s,a) = s·A + a: the
    // successors of (s,a) are slots [PairStart, PairStart + PairLength) of the edge arrays. Re-read after every Add:
    // arrays may grow.
    internal bool[] AbsorbingFlags => _absorbing;

    internal int[] KnownRowArray => _knownRows;

    internal int[] PairCounts => _saCount;

    internal double[] RewardNumerators => _rewardNumerator;

    internal int[] PairStart => _start;

    internal int[] PairLength => _length;

    /// <summary>The (s,a) index of the last <see cref="Add"/> (−1 after <see cref="Reset"/>).</summary>
    internal int LastAddedPair => _lastAddedPair;

    /// <summary>How many times <see cref="Reset"/> has run: tells a derived copy of the model that it is stale.</summary>
    internal long Epoch => _epoch;

    /// <summary>Number of rows reported absorbing so far.</summary>
    internal int AbsorbingCount => _absorbingCount;

    internal int[] Successors => _successor;

    /// <summary>N(s,a,s') slot by slot, held as doubles (whole numbers) because the sweep multiplies by them; padding slots 0.</summary>
    internal double[] SuccessorVisits => _edgeVisits;

    internal double[] SuccessorMeanRewards => _meanReward;

    internal double[] SuccessorRewardVarianceOfMean => _rewardVarianceOfMean;

    /// <summary>Forgets everything (start of a meta-episode).</summary>
    /// <param name="fixedStateCount">Number of states known up front (all of [0, S) are known), or 0 to discover rows as they are visited.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fixedStateCount"/> is outside [0, <see cref="StateCapacity"/>].</exception>
    public void Reset(int fixedStateCount)
    {
        if ((uint)fixedStateCount > (uint)_stateCapacity)
        {
            Guard.ThrowOutOfRange(fixedStateCount, "in [0, " + _stateCapacity.ToString(CultureInfo.InvariantCulture) + "]", nameof(fixedStateCount));
        }

        _fixedStateCount = fixedStateCount;
        Array.Clear(_known);
        Array.Clear(_absorbing);
        Array.Clear(_saCount);
        Array.Clear(_rewardNumerator);
        ResetBlocks();
        _edgeCount = 0;
        _transitionCount = 0;
        _lastAddedPair = -1;
        _absorbingCount = 0;
        _epoch++;
        _knownCount = 0;
        for (int s = 0; s < fixedStateCount; s++)
        {
            _known[s] = true;
            _knownRows[s] = s;
        }

        _knownCount = fixedStateCount;
    }

    /// <summary>Checks a transition without changing anything.</summary>
    /// <param name="transition">The transition.</param>
    /// <exception cref="ArgumentOutOfRangeException">A state is outside the allowed rows, the action is outside [0, A), or the reward is not finite.</exception>
    public void Validate(in InnerTransition transition)
    {
        int limit = RowLimit;
        Guard.Index(transition.State, limit, nameof(transition), "transition.State");
        Guard.Index(transition.Action, _actionCount, nameof(transition), "transition.Action");
        Guard.Index(transition.NextState, limit, nameof(transition), "transition.NextState");
        if (!double.IsFinite(transition.Reward))
        {
            Guard.ThrowOutOfRange(transition.Reward, "finite (not NaN or ±∞)", nameof(transition), "transition.Reward");
        }
    }

    /// <summary>Adds one transition: N(s,a) and N(s,a,s') += 1, the reward statistics of (s,a,s'), known and absorbing flags.</summary>
    /// <param name="transition">The transition (validated first; on failure nothing changes).</param>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="Validate"/>.</exception>
    public void Add(in InnerTransition transition)
    {
        Validate(transition);
        int s = transition.State;
        int next = transition.NextState;
        MarkKnown(s);
        MarkKnown(next);
        if (transition.Absorbing && !_absorbing[next])
        {
            _absorbing[next] = true;
            _absorbingCount++;
        }

        int sa = (s * _actionCount) + transition.Action;
        _saCount[sa]++;
        _transitionCount++;

        int begin = _start[sa];
        int end = begin + _length[sa];
        int e = begin;
        while (e < end && _successor[e] != next)
        {
            e++;
        }

        if (e == end)
        {
            e = AppendEdge(sa, next);
        }

        _lastAddedPair = sa;

        // Welford update of the mean and the sum of squared deviations.
        double n = ++_edgeVisits[e];
        double r = transition.Reward;
        double delta = r - _meanReward[e];
        _meanReward[e] += delta / n;
        _rewardM2[e] += delta * (r - _meanReward[e]);
        _rewardVarianceOfMean[e] = n < 2 ? 1.0 : _rewardM2[e] / n / (n - 1);

        // Σ_{s' observed} (N(s,a,s') + λ) R(s,a,s'): the numerator of the expected reward of (s,a).
        double numerator = 0;
        begin = _start[sa];
        end = begin + _length[sa];
        for (int k = begin; k < end; k++)
        {
            numerator += (_edgeVisits[k] + _lambda) * _meanReward[k];
        }

        _rewardNumerator[sa] = numerator;
    }

    /// <summary>Whether a row has been reported absorbing.</summary>
    /// <param name="state">The row.</param>
    /// <returns>True when absorbing.</returns>
    public bool IsAbsorbing(int state)
    {
        Guard.Index(state, _stateCapacity, nameof(state));
        return _absorbing[state];
    }

    /// <summary>N(s,a).</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <returns>The visit count.</returns>
    public int Count(int state, int action) => _saCount[Pair(state, action)];

    /// <summary>N(s,a,s').</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The row s'.</param>
    /// <returns>The visit count.</returns>
    public int Count(int state, int action, int nextState)
    {
        int e = FindEdge(Pair(state, action), nextState);
        return e < 0 ? 0 : (int)_edgeVisits[e];
    }

    /// <summary>The smoothed T(s'|s,a) of the remarks (0 when s' is not a known row).</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The row s'.</param>
    /// <returns>The probability.</returns>
    public double TransitionProbability(int state, int action, int nextState)
    {
        int sa = Pair(state, action);
        Guard.Index(nextState, _stateCapacity, nameof(nextState));
        if (!_known[nextState])
        {
            return 0;
        }

        if (_absorbing[state])
        {
            return nextState == state ? 1.0 : 0.0;
        }

        int n = _saCount[sa];
        if (n == 0)
        {
            return 1.0 / _knownCount;
        }

        int e = FindEdge(sa, nextState);
        double count = e < 0 ? 0 : _edgeVisits[e];
        return (count + _lambda) / (n + (_lambda * _knownCount));
    }

    /// <summary>R(s,a,s'): the mean observed reward, 0 when never observed or when s is absorbing.</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The row s'.</param>
    /// <returns>The reward.</returns>
    public double Reward(int state, int action, int nextState)
    {
        int sa = Pair(state, action);
        Guard.Index(nextState, _stateCapacity, nameof(nextState));
        if (_absorbing[state])
        {
            return 0;
        }

        int e = FindEdge(sa, nextState);
        return e < 0 ? 0 : _meanReward[e];
    }

    /// <summary>SE_T(s'|s,a) of the remarks.</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The row s'.</param>
    /// <returns>The standard error of the transition probability.</returns>
    public double TransitionStandardError(int state, int action, int nextState)
    {
        int sa = Pair(state, action);
        int n = _saCount[sa];
        if (n == 0)
        {
            return UniformStandardError;
        }

        double p = TransitionProbability(state, action, nextState);
        return Math.Sqrt(p * (1 - p) / (n + (_lambda * _knownCount)));
    }

    /// <summary>SE_R(s,a,s') of the remarks.</summary>
    /// <param name="state">The row s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The row s'.</param>
    /// <returns>The standard error of the mean reward.</returns>
    public double RewardStandardError(int state, int action, int nextState)
    {
        int sa = Pair(state, action);
        Guard.Index(nextState, _stateCapacity, nameof(nextState));
        int e = FindEdge(sa, nextState);
        if (e < 0 || _edgeVisits[e] < 2)
        {
            return 1.0;
        }

        return _absorbing[state] ? 0.0 : Math.Sqrt(_rewardVarianceOfMean[e]);
    }

    /// <summary>Makes this model an exact copy of <paramref name="other"/> (same capacity, actions and λ); for benchmarks.</summary>
    internal void CopyFrom(LearnedTabularModel other)
    {
        if (other._stateCapacity != _stateCapacity || other._actionCount != _actionCount || other._lambda != _lambda)
        {
            throw new ArgumentException("The models differ in capacity, actions or smoothing.", nameof(other));
        }

        _fixedStateCount = other._fixedStateCount;
        _knownCount = other._knownCount;
        _transitionCount = other._transitionCount;
        _lastAddedPair = other._lastAddedPair;
        _epoch = other._epoch;
        _absorbingCount = other._absorbingCount;
        Array.Copy(other._known, _known, _known.Length);
        Array.Copy(other._knownRows, _knownRows, _knownRows.Length);
        Array.Copy(other._absorbing, _absorbing, _absorbing.Length);
        Array.Copy(other._saCount, _saCount, _saCount.Length);
        Array.Copy(other._rewardNumerator, _rewardNumerator, _rewardNumerator.Length);
        Array.Copy(other._start, _start, _start.Length);
        Array.Copy(other._length, _length, _length.Length);
        Array.Copy(other._blockCapacity, _blockCapacity, _blockCapacity.Length);
        if (_successor.Length < other._arenaEnd)
        {
            Grow(other._arenaEnd);
        }

        _edgeCount = other._edgeCount;
        _arenaEnd = other._arenaEnd;
        int used = other._arenaEnd;
        Array.Copy(other._successor, _successor, used);
        Array.Copy(other._edgeVisits, _edgeVisits, used);
        Array.Copy(other._meanReward, _meanReward, used);
        Array.Copy(other._rewardM2, _rewardM2, used);
        Array.Copy(other._rewardVarianceOfMean, _rewardVarianceOfMean, used);
    }

    private int RowLimit => _fixedStateCount > 0 ? _fixedStateCount : _stateCapacity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Pair(int state, int action)
    {
        Guard.Index(state, _stateCapacity, nameof(state));
        Guard.Index(action, _actionCount, nameof(action));
        return (state * _actionCount) + action;
    }

    private int FindEdge(int sa, int nextState)
    {
        int begin = _start[sa];
        int end = begin + _length[sa];
        for (int e = begin; e < end; e++)
        {
            if (_successor[e] == nextState)
            {
                return e;
            }
        }

        return -1;
    }

    private void MarkKnown(int state)
    {
        if (!_known[state])
        {
            _known[state] = true;
            _knownRows[_knownCount++] = state;
        }
    }

    /// <summary>Every pair back to its empty home block (slots [4·sa, 4·sa + 4), cleared); the overflow store emptied.</summary>
    private void ResetBlocks()
    {
        Array.Clear(_length);
        for (int sa = 0; sa < _start.Length; sa++)
        {
            _start[sa] = BlockSize * sa;
            _blockCapacity[sa] = BlockSize;
        }

        Array.Clear(_successor, 0, _homeSize);
        Array.Clear(_edgeVisits, 0, _homeSize);
        _arenaEnd = _homeSize;
    }

    /// <summary>Appends a new successor to the list of (s,a), moving the list to a block twice the size when full.</summary>
    /// <returns>The slot of the new successor.</returns>
    private int AppendEdge(int sa, int next)
    {
        int length = _length[sa];
        int capacity = _blockCapacity[sa];
        if (length == capacity)
        {
            int newCapacity = 2 * capacity;
            if (_arenaEnd > _successor.Length - newCapacity)
            {
                Grow((long)_arenaEnd + newCapacity);
            }

            int from = _start[sa];
            int to = _arenaEnd;
            Array.Copy(_successor, from, _successor, to, length);
            Array.Copy(_edgeVisits, from, _edgeVisits, to, length);
            Array.Copy(_meanReward, from, _meanReward, to, length);
            Array.Copy(_rewardM2, from, _rewardM2, to, length);
            Array.Copy(_rewardVarianceOfMean, from, _rewardVarianceOfMean, to, length);
            Array.Clear(_successor, to + length, newCapacity - length);
            Array.Clear(_edgeVisits, to + length, newCapacity - length);
            _start[sa] = to;
            _blockCapacity[sa] = newCapacity;
            _arenaEnd = to + newCapacity;
        }

        int e = _start[sa] + length;
        _successor[e] = next;
        _edgeVisits[e] = 0;
        _meanReward[e] = 0;
        _rewardM2[e] = 0;
        _rewardVarianceOfMean[e] = 1.0;
        _length[sa] = length + 1;
        _edgeCount++;
        return e;
    }

    private void Grow(long needed)
    {
        long size = Math.Max(needed, 2L * _successor.Length);
        if (size > int.MaxValue / 8)
        {
            size = Math.Max(needed, int.MaxValue / 8);
        }

        Array.Resize(ref _successor, (int)size);
        Array.Resize(ref _edgeVisits, (int)size);
        Array.Resize(ref _meanReward, (int)size);
        Array.Resize(ref _rewardM2, (int)size);
        Array.Resize(ref _rewardVarianceOfMean, (int)size);
    }
}
