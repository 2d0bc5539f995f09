using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RL3.Core.Inner;

/// <summary>
/// Model-based Q-value iteration: after every transition, the learned tabular model is updated and Q is re-solved
/// by synchronous value-iteration sweeps that touch only the observed successors.
/// </summary>
/// <remarks>
/// <para>Source: docs/method.md §3; the RL³ reference code (<c>vi.jl</c>, <c>learned_mdp.jl</c>).</para>
/// <para>
/// One sweep computes, for every known s and every a, from the previous sweep's V:
/// <c>Q(s,a) = Σ_s' T(s'|s,a) (R(s,a,s') + γ V(s'))</c>, then <c>V(s) = max_a Q(s,a)</c>. Sweeps stop when
/// max |ΔQ| &lt; ε or after <see cref="ModelBasedValueIterationOptions.MaxSweeps"/>.
/// With T and R of <see cref="LearnedTabularModel"/> (n_s known states, D = N(s,a) + λ n_s), the sum splits into
/// the observed successors and one term shared by every (s,a):
/// </para>
/// <code>
/// absorbing s:   Q(s,a) = γ V(s)
/// N(s,a) = 0:    Q(s,a) = (1/n_s) Σ_{s' known} γ V(s')
/// otherwise:     Q(s,a) = [ Σ_{s' obs} (N(s,a,s') + λ) R(s,a,s')  +  γ Σ_{s' obs} N(s,a,s') V(s')  +  λ γ Σ_{s' known} V(s') ] / D
/// </code>
/// <para>
/// so a sweep costs O(observed (s,a,s') + n_s·A) instead of the dense O(n_s²·A), with the same result up to
/// rounding. The sweep reads a copy of the model laid out for it (<c>SweepPlan</c>: one row per known state in the
/// order the states became known, the actions of a state side by side in vector lanes, each distinct successor of a
/// state once with one weight per action, the terms above cached per pair and rewritten only for the pair just
/// observed, or for all pairs when n_s changes). Standard errors (optional) follow the reference code's per-sweep propagation
/// <c>Var Q(s,a) = Σ_s' [T² (SE_R² + γ² SE_V(s')²) + (R + γ V(s'))² SE_T² + (SE_R² + γ² SE_V(s')²) SE_T²]</c>,
/// <c>SE_V(s) = SE_Q(s, argmax_a Q(s,a))</c> (first maximum), where the never-observed successors, which all share
/// T = λ/D, R = 0, SE_R = 1 and SE_T = √(T(1−T)/D), are summed in closed form from per-sweep totals.
/// </para>
/// <para>
/// Caution (a property of the formula, shared by the reference code): an unvisited (s,a) has SE_T = √(1/12) towards
/// every known s', so its variance includes (γ²/12) Σ_{s'} SE_V(s')². With more than about 12/γ² known states the
/// standard errors therefore grow geometrically from sweep to sweep (and across solves with a warm start) until the
/// sweep cap stops them; they can overflow to +∞. Q and V are unaffected.
/// </para>
/// <para>
/// <see cref="Estimate"/> reports zeros for rows not yet known, and for every row before the first
/// <see cref="Observe"/>. Not thread-safe; one instance per environment slot.
/// </para>
/// </remarks>
public sealed class ModelBasedValueIteration : IInnerRLEstimator
{
    private const double OneTwelfth = 1.0 / 12.0;

    private readonly LearnedTabularModel _model;
    private readonly int _actionCount;
    private readonly double _gamma;
    private readonly double _epsilon;
    private readonly int _maxSweeps;
    private readonly bool _warmStart;
    private readonly bool _standardErrors;
    private readonly SweepPlan _plan;
    private double[] _v;
    private double[] _vNext;
    private double _sumV;
    private readonly double[] _seQ;
    private readonly double[] _seV;

    /// <summary>Creates the estimator.</summary>
    /// <param name="stateCapacity">Maximum number of state rows (at least 1).</param>
    /// <param name="actionCount">Number of actions (at least 1).</param>
    /// <param name="options">Options (null for the defaults); copied and validated.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument or option is out of range.</exception>
    public ModelBasedValueIteration(int stateCapacity, int actionCount, ModelBasedValueIterationOptions? options = null)
    {
        options ??= new ModelBasedValueIterationOptions();
        options.Validate();
        _model = new LearnedTabularModel(stateCapacity, actionCount, options.LaplaceSmoothing);
        _actionCount = actionCount;
        _gamma = options.Gamma;
        _epsilon = options.Epsilon;
        _maxSweeps = options.MaxSweeps;
        _warmStart = options.WarmStart;
        _standardErrors = options.StandardErrors;
        int pairs = stateCapacity * actionCount;
        _plan = new SweepPlan(stateCapacity, actionCount, options.Gamma);
        _v = new double[stateCapacity];
        _vNext = new double[stateCapacity];
        _seQ = new double[_standardErrors ? pairs : 0];
        _seV = new double[_standardErrors ? stateCapacity : 0];
    }

    /// <inheritdoc/>
    public int ActionCount => _actionCount;

    /// <inheritdoc/>
    public int StateCapacity => _model.StateCapacity;

    /// <inheritdoc/>
    public bool ProvidesStandardErrors => _standardErrors;

    /// <summary>The learned model (read it, do not add to it: <see cref="Observe"/> does).</summary>
    public LearnedTabularModel Model => _model;

    /// <summary>Number of sweeps the last solve ran (0 before the first <see cref="Observe"/>).</summary>
    public int LastSweepCount { get; private set; }

    /// <inheritdoc/>
    public void Reset(int fixedStateCount)
    {
        _model.Reset(fixedStateCount);
        _plan.Reset();
        Array.Clear(_v);
        Array.Clear(_vNext);
        Array.Clear(_seQ);
        Array.Clear(_seV);
        _sumV = 0;
        LastSweepCount = 0;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A row or the action is out of range, or the reward is not finite; nothing changes.</exception>
    public void Observe(in InnerTransition transition)
    {
        _model.Add(transition);
        Solve();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is outside [0, S) (S = the fixed state count, or the capacity).</exception>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="ActionCount"/>.</exception>
    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        int limit = _model.FixedStateCount > 0 ? _model.FixedStateCount : _model.StateCapacity;
        Guard.Index(state, limit, nameof(state));
        int a = _actionCount;
        Guard.Length(q.Length, a, nameof(q), "the action count");
        Guard.Length(standardErrorQ.Length, a, nameof(standardErrorQ), "the action count");
        Guard.Length(visitCounts.Length, a, nameof(visitCounts), "the action count");
        int offset = state * a;
        int row = _plan.Rank[state];
        if (row >= 0)
        {
            _plan.Rows.Slice((row * _plan.RowStride) + _plan.FieldQ, a).CopyTo(q);
        }
        else
        {
            q.Clear();
        }

        if (_standardErrors)
        {
            _seQ.AsSpan(offset, a).CopyTo(standardErrorQ);
        }
        else
        {
            standardErrorQ.Clear();
        }

        int[] counts = _model.PairCounts;
        for (int i = 0; i < a; i++)
        {
            visitCounts[i] = counts[offset + i];
        }

        return new InnerValue(_v[state], _standardErrors ? _seV[state] : 0.0);
    }

    /// <summary>Makes this estimator an exact copy of <paramref name="other"/> (same shape and options); for benchmarks.</summary>
    internal void CopyFrom(ModelBasedValueIteration other)
    {
        _model.CopyFrom(other._model);
        _plan.CopyFrom(other._plan);
        Array.Copy(other._v, _v, _v.Length);
        Array.Copy(other._seQ, _seQ, _seQ.Length);
        Array.Copy(other._seV, _seV, _seV.Length);
        _sumV = other._sumV;
        LastSweepCount = other.LastSweepCount;
    }

    /// <summary>Re-solves Q on the current model (what <see cref="Observe"/> does after learning); internal for benchmarks.</summary>
    internal void Solve()
    {
        LearnedTabularModel m = _model;
        int nS = m.KnownStateCount;
        int actions = _actionCount;
        int[] known = m.KnownRowArray;
        SweepPlan plan = _plan;

        // E, U, G and the successor slots of what changed since the last solve (see SweepPlan).
        plan.Sync(m);
        if (!_warmStart)
        {
            for (int i = 0; i < nS; i++)
            {
                int s = known[i];
                plan.Rows.Slice((i * plan.RowStride) + plan.FieldQ, plan.Lanes).Clear();
                _v[s] = 0;
                if (_standardErrors)
                {
                    _seQ.AsSpan(s * actions, actions).Clear();
                    _seV[s] = 0;
                }
            }
        }

        if (!_warmStart)
        {
            _sumV = 0;
        }

        // Otherwise _sumV is still Σ_known V from the last sweep (rows that became known since have V = 0).
        int sweeps = 0;
        while (sweeps < _maxSweeps)
        {
            double delta;
            if (_standardErrors)
            {
                delta = SweepWithStandardErrors(nS);
                UpdateValues(nS);
            }
            else
            {
                delta = Sweep(nS);
            }

            sweeps++;
            if (delta < _epsilon)
            {
                break;
            }
        }

        LastSweepCount = sweeps;
    }

    /// <summary>
    /// One sweep over the plan: for each known state, its actions four at a time in vector lanes,
    /// <c>Q = (E + U·γΣV) + G·Σ_entries W·V(successor)</c>, each successor's value loaded once and broadcast to every
    /// action; then V(s) = max over the lanes into the other buffer.
    /// </summary>
    private double Sweep(int nS)
    {
        // Bounds checks are elided by hand: every index comes from the plan's invariants (known rows < capacity,
        // entries within the successor store, successors are known rows).
        SweepPlan plan = _plan;
        int lanes = plan.Lanes;
        int stride = plan.RowStride;
        ref int known = ref MemoryMarshal.GetArrayDataReference(_model.KnownRowArray);
        ref double rows = ref MemoryMarshal.GetReference(plan.Rows);
        ref int rowStart = ref MemoryMarshal.GetArrayDataReference(plan.RowStart);
        ref int rowCount = ref MemoryMarshal.GetArrayDataReference(plan.RowCount);
        ref int successors = ref MemoryMarshal.GetArrayDataReference(plan.Successors);
        ref double weights = ref MemoryMarshal.GetReference(plan.Weights);
        ref double v = ref MemoryMarshal.GetArrayDataReference(_v);
        ref double vNext = ref MemoryMarshal.GetArrayDataReference(_vNext);

        var gammaSumV = Vector256.Create(_gamma * _sumV);
        var delta = Vector256<double>.Zero;
        double sumNext = 0;
        for (int i = 0; i < nS; i++)
        {
            // Row i is the i-th known state's: the sweep reads the plan front to back.
            ref double row = ref Unsafe.Add(ref rows, i * stride);
            int start = Unsafe.Add(ref rowStart, i);
            ref int next = ref Unsafe.Add(ref successors, start);
            ref double w = ref Unsafe.Add(ref weights, start * lanes);
            int count = Unsafe.Add(ref rowCount, i);
            Vector128<double> best;
            if (lanes == Vector256<double>.Count)
            {
                // At most four actions: the whole state in one vector. Entries two at a time into two running sums
                // (half the dependency chain); a row's capacity is even and unused entries weigh 0.
                var even = Vector256<double>.Zero;
                var odd = Vector256<double>.Zero;
                for (int k = 0; k < count; k += 2)
                {
                    even = MultiplyAdd(Vector256.LoadUnsafe(ref w), Vector256.Create(Unsafe.Add(ref v, next)), even);
                    odd = MultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)Vector256<double>.Count), Vector256.Create(Unsafe.Add(ref v, Unsafe.Add(ref next, 1))), odd);
                    next = ref Unsafe.Add(ref next, 2);
                    w = ref Unsafe.Add(ref w, 2 * Vector256<double>.Count);
                }

                best = LaneQ(ref row, lanes, even + odd, gammaSumV, ref delta);
            }
            else
            {
                best = Vector128.Create(double.NegativeInfinity);
                for (int lane = 0; lane < lanes; lane += Vector256<double>.Count)
                {
                    ref int n = ref next;
                    ref double wl = ref Unsafe.Add(ref w, lane);
                    var observed = Vector256<double>.Zero;
                    for (int k = 0; k < count; k++)
                    {
                        observed = MultiplyAdd(Vector256.LoadUnsafe(ref wl), Vector256.Create(Unsafe.Add(ref v, n)), observed);
                        n = ref Unsafe.Add(ref n, 1);
                        wl = ref Unsafe.Add(ref wl, lanes);
                    }

                    best = MaxOf(best, LaneQ(ref Unsafe.Add(ref row, lane), lanes, observed, gammaSumV, ref delta));
                }
            }

            // V(s) = max_a Q(s,a), into the other buffer: the sweep keeps reading the previous V.
            double value = MaxOf(best.ToScalar(), best.GetElement(1));
            Unsafe.Add(ref vNext, Unsafe.Add(ref known, i)) = value;
            sumNext += value;
        }

        (_v, _vNext) = (_vNext, _v);
        _sumV = sumNext;
        var halves = MaxOf(delta.GetLower(), delta.GetUpper());
        return MaxOf(halves.ToScalar(), halves.GetElement(1));
    }

    /// <summary>
    /// Q of four lanes of one row (<paramref name="e"/> at the lanes' E field, fields <paramref name="lanes"/> apart) from
    /// their observed sum Σ W·V: stores Q, raises <paramref name="delta"/> to |ΔQ|, returns the pairwise max of the two halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> LaneQ(ref double e, int lanes, Vector256<double> observed, Vector256<double> gammaSumV, ref Vector256<double> delta)
    {
        nuint field = (nuint)lanes;
        var qNew = MultiplyAdd(Vector256.LoadUnsafe(ref e, 2 * field), observed, MultiplyAdd(Vector256.LoadUnsafe(ref e, field), gammaSumV, Vector256.LoadUnsafe(ref e)));
        delta = MaxOf(delta, Vector256.Abs(qNew - Vector256.LoadUnsafe(ref e, 3 * field)));
        qNew.StoreUnsafe(ref e, 3 * field);
        return MaxOf(qNew.GetLower(), qNew.GetUpper());
    }

    private double SweepWithStandardErrors(int nS)
    {
        LearnedTabularModel m = _model;
        int actions = _actionCount;
        int[] known = m.KnownRowArray;
        bool[] absorbing = m.AbsorbingFlags;
        int[] counts = m.PairCounts;
        int[] start = m.PairStart;
        int[] length = m.PairLength;
        int[] successors = m.Successors;
        double[] visits = m.SuccessorVisits;
        double[] meanReward = m.SuccessorMeanRewards;
        double[] rewardVariance = m.SuccessorRewardVarianceOfMean;
        double gamma = _gamma;
        double lambda = m.LaplaceSmoothing;
        Span<double> rows = _plan.Rows;
        double[] inverse = _plan.Inverse;
        int stride = _plan.RowStride;
        int fieldQ = _plan.FieldQ;
        int lanes = _plan.Lanes;
        double[] v = _v;
        double[] seQ = _seQ;
        double[] seV = _seV;

        // Per-sweep totals over the known states: Σ V, Σ (γV)², Σ (γ SE_V)².
        double sumV = 0, sumGammaV2 = 0, sumGammaSe2 = 0;
        for (int i = 0; i < nS; i++)
        {
            int s = known[i];
            double gv = gamma * v[s];
            double gse = gamma * seV[s];
            sumV += v[s];
            sumGammaV2 += gv * gv;
            sumGammaSe2 += gse * gse;
        }

        double gammaSumV = gamma * sumV;
        double unvisitedQ = gammaSumV / nS;
        double uniform = 1.0 / nS;
        double unvisitedVar = (((uniform * uniform) + OneTwelfth) * (nS + sumGammaSe2)) + (OneTwelfth * sumGammaV2);
        double absorbingUnvisitedShared = OneTwelfth * (sumGammaV2 + nS + sumGammaSe2);
        double shared = lambda * gammaSumV;
        double delta = 0;
        for (int i = 0; i < nS; i++)
        {
            int s = known[i];
            int baseIndex = s * actions;
            int row = i * stride;
            if (absorbing[s])
            {
                // Self-loop with T = 1, R = 0: SE_T = √(1/12) when N(s,a) = 0 (every s'), else 0;
                // SE_R(s,a,s) = 1 below 2 observations, else 0 (the reward of an absorbing state is exactly 0).
                double qa = gamma * v[s];
                double gse = gamma * seV[s];
                for (int a = 0; a < actions; a++)
                {
                    int sa = baseIndex + a;
                    double variance;
                    if (counts[sa] == 0)
                    {
                        variance = 1.0 + (gse * gse) + absorbingUnvisitedShared;
                    }
                    else
                    {
                        double rewardSe2 = SelfVisits(start, length, successors, visits, sa, s) < 2 ? 1.0 : 0.0;
                        variance = rewardSe2 + (gse * gse);
                    }

                    ref double qsa = ref rows[row + fieldQ + a];
                    delta = MaxChange(delta, qa, qsa);
                    qsa = qa;
                    seQ[sa] = StandardError(variance);
                }

                continue;
            }

            for (int a = 0; a < actions; a++)
            {
                int sa = baseIndex + a;
                double qNew;
                double variance;
                if (counts[sa] == 0)
                {
                    qNew = unvisitedQ;
                    variance = unvisitedVar;
                }
                else
                {
                    double inv = inverse[(i * lanes) + a];
                    double observed = 0, observedVar = 0, observedGammaV2 = 0, observedGammaSe2 = 0;
                    int begin = start[sa];
                    int end = begin + length[sa];
                    for (int e = begin; e < end; e++)
                    {
                        int next = successors[e];
                        double gv = gamma * v[next];
                        double gse = gamma * seV[next];
                        double gse2 = gse * gse;
                        double p = (visits[e] + lambda) * inv;
                        double transitionSe2 = p * (1 - p) * inv;
                        double varRv = rewardVariance[e] + gse2;
                        double x = meanReward[e] + gv;
                        observed += visits[e] * v[next];
                        observedVar += (p * p * varRv) + (x * x * transitionSe2) + (varRv * transitionSe2);
                        observedGammaV2 += gv * gv;
                        observedGammaSe2 += gse2;
                    }

                    // Never-observed successors: T = p0 = λ/D, R = 0, SE_R = 1, SE_T² = p0(1−p0)/D.
                    double p0 = lambda * inv;
                    double se0 = p0 * (1 - p0) * inv;
                    int unobserved = nS - (end - begin);
                    variance = observedVar
                        + (((p0 * p0) + se0) * (unobserved + (sumGammaSe2 - observedGammaSe2)))
                        + (se0 * (sumGammaV2 - observedGammaV2));
                    qNew = rows[row + a] + (inv * ((gamma * observed) + shared));
                }

                ref double q = ref rows[row + fieldQ + a];
                delta = MaxChange(delta, qNew, q);
                q = qNew;
                seQ[sa] = StandardError(variance);
            }
        }

        return delta;
    }

    /// <summary>
    /// max(delta, |x − y|) as one compare-and-select. <see cref="Math.Max(double, double)"/> spends several more
    /// instructions on IEEE −0 and NaN ordering, on the sweep's critical dependency chain; here a NaN difference is
    /// still carried into the result (the comparison is false), so a NaN sweep never reads as converged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MaxChange(double delta, double x, double y) => MaxOf(delta, Math.Abs(x - y));

    /// <summary>
    /// max(x, y) as the processor's own instruction (branch-free, no IEEE −0/NaN fix-ups): the operands here are
    /// finite values (or a NaN difference, which the x86 instruction passes through as its second operand).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MaxOf(double x, double y)
    {
#if NET9_0_OR_GREATER
        return double.MaxNative(x, y);
#else
        return Math.Max(x, y);
#endif
    }

    /// <inheritdoc cref="MaxOf(double, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MaxOf(Vector128<double> x, Vector128<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector128.MaxNative(x, y);
#else
        return Vector128.Max(x, y);
#endif
    }

    /// <inheritdoc cref="MaxOf(double, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MaxOf(Vector256<double> x, Vector256<double> y)
    {
#if NET9_0_OR_GREATER
        return Vector256.MaxNative(x, y);
#else
        return Vector256.Max(x, y);
#endif
    }

    /// <summary>x·y + z rounded once, lane by lane (the same bits with or without FMA hardware).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> z)
    {
#if NET9_0_OR_GREATER
        return Vector256.FusedMultiplyAdd(x, y, z);
#else
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, z);
        }

        return Vector256.Create(
            Math.FusedMultiplyAdd(x[0], y[0], z[0]),
            Math.FusedMultiplyAdd(x[1], y[1], z[1]),
            Math.FusedMultiplyAdd(x[2], y[2], z[2]),
            Math.FusedMultiplyAdd(x[3], y[3], z[3]));
#endif
    }

    /// <summary>√max(Var, 0); NaN (which only arises as ∞·0 or ∞−∞ once standard errors have overflowed) reads +∞.</summary>
    private static double StandardError(double variance) =>
        variance >= 0 ? Math.Sqrt(variance) : (double.IsNaN(variance) ? double.PositiveInfinity : 0.0);

    private static double SelfVisits(int[] start, int[] length, int[] successors, double[] visits, int sa, int s)
    {
        int begin = start[sa];
        int end = begin + length[sa];
        for (int e = begin; e < end; e++)
        {
            if (successors[e] == s)
            {
                return visits[e];
            }
        }

        return 0;
    }

    private void UpdateValues(int nS)
    {
        int actions = _actionCount;
        int[] known = _model.KnownRowArray;
        Span<double> rows = _plan.Rows;
        for (int i = 0; i < nS; i++)
        {
            int s = known[i];
            int q = (i * _plan.RowStride) + _plan.FieldQ;
            int best = 0;
            double bestQ = rows[q];
            for (int a = 1; a < actions; a++)
            {
                double qa = rows[q + a];
                if (qa > bestQ)
                {
                    bestQ = qa;
                    best = a;
                }
            }

            _v[s] = bestQ;
            if (_standardErrors)
            {
                _seV[s] = _seQ[(s * actions) + best];
            }
        }
    }
}
