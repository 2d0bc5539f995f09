using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RL3.Core.Inner;

/// <summary>
/// Model-based Q-value iteration: after every transition, the learned tabular model is updated and Q is re-solved
/// by synchronous value-iteration sweeps that touch only the observed successors.
/// </summary>
/// <remarks>
/// <para>Source: METHOD.md §3; the RL³ reference code (<c>vi.jl</c>, <c>learned_mdp.jl</c>).</para>
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
/// rounding. Standard errors (optional) follow the reference code's per-sweep propagation
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
    private readonly double[] _q;
    private double[] _v;
    private double[] _vNext;
    private double _sumV;
    private readonly double[] _seQ;
    private readonly double[] _seV;
    private readonly PairTerms[] _terms;

    // The model state the cached 1/D and expected rewards were computed for (−1: recompute everything).
    private int _coefficientKnownCount = -1;
    private long _coefficientTransitionCount = -1;

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
        _q = new double[pairs];
        _v = new double[stateCapacity];
        _vNext = new double[stateCapacity];
        _seQ = new double[_standardErrors ? pairs : 0];
        _seV = new double[_standardErrors ? stateCapacity : 0];
        _terms = new PairTerms[pairs];
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
        Array.Clear(_q);
        Array.Clear(_v);
        Array.Clear(_vNext);
        Array.Clear(_seQ);
        Array.Clear(_seV);
        Array.Clear(_terms);
        _coefficientKnownCount = -1;
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
        InnerGuard.CheckRow(state, limit, nameof(state), nameof(state));
        int a = _actionCount;
        InnerGuard.CheckLength(q.Length, a, nameof(q));
        InnerGuard.CheckLength(standardErrorQ.Length, a, nameof(standardErrorQ));
        InnerGuard.CheckLength(visitCounts.Length, a, nameof(visitCounts));
        int offset = state * a;
        _q.AsSpan(offset, a).CopyTo(q);
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
        Array.Copy(other._q, _q, _q.Length);
        Array.Copy(other._v, _v, _v.Length);
        Array.Copy(other._seQ, _seQ, _seQ.Length);
        Array.Copy(other._seV, _seV, _seV.Length);
        _coefficientKnownCount = -1;
        LastSweepCount = other.LastSweepCount;
    }

    /// <summary>Re-solves Q on the current model (what <see cref="Observe"/> does after learning); internal for benchmarks.</summary>
    internal void Solve()
    {
        LearnedTabularModel m = _model;
        int nS = m.KnownStateCount;
        int actions = _actionCount;
        int[] known = m.KnownRowArray;
        double lambda = m.LaplaceSmoothing;

        if (!_warmStart)
        {
            for (int i = 0; i < nS; i++)
            {
                int s = known[i];
                _q.AsSpan(s * actions, actions).Clear();
                _v[s] = 0;
                if (_standardErrors)
                {
                    _seQ.AsSpan(s * actions, actions).Clear();
                    _seV[s] = 0;
                }
            }
        }

        // 1/D and the expected reward Σ_obs (N+λ) R / D of every visited (s,a). D = N(s,a) + λ n_s changes for every
        // pair when a state is discovered, otherwise only for the pair just added: recompute only what changed.
        double smoothingMass = lambda * nS;
        if (nS == _coefficientKnownCount && m.TransitionCount == _coefficientTransitionCount + 1 && m.LastAddedPair >= 0)
        {
            SetTerms(m.LastAddedPair, smoothingMass);
        }
        else if (nS != _coefficientKnownCount || m.TransitionCount != _coefficientTransitionCount)
        {
            for (int i = 0; i < nS; i++)
            {
                int baseIndex = known[i] * actions;
                for (int a = 0; a < actions; a++)
                {
                    SetTerms(baseIndex + a, smoothingMass);
                }
            }
        }

        _coefficientKnownCount = nS;
        _coefficientTransitionCount = m.TransitionCount;

        double sumV = 0;
        for (int i = 0; i < nS; i++)
        {
            sumV += _v[known[i]];
        }

        _sumV = sumV;
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

    /// <summary>Refreshes the per-solve terms of (s,a) from the model (Blocks = 0 marks an unvisited pair).</summary>
    private void SetTerms(int sa, double smoothingMass)
    {
        LearnedTabularModel m = _model;
        int n = m.PairCounts[sa];
        ref PairTerms t = ref _terms[sa];
        if (n == 0)
        {
            t = default;
            return;
        }

        double inv = 1.0 / (n + smoothingMass);
        t.Inverse = inv;
        t.GammaInverse = _gamma * inv;
        t.Expected = m.RewardNumerators[sa] * inv;
        t.Start = m.PairStart[sa];
        t.Blocks = m.PairBlockCapacity[sa] / LearnedTabularModel.BlockSize;
    }

    /// <summary>What a sweep reads for one (s,a), in one place: E(s,a), 1/D, γ/D and where its successor blocks are.</summary>
    private struct PairTerms
    {
        public double Expected;
        public double Inverse;
        public double GammaInverse;
        public int Start;
        public int Blocks;
    }

    /// <summary>Q(s,a) of a visited, non-absorbing pair: E + (1/D)·λγΣV + (γ/D)·Σ N V (only one multiply-add waits for the sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double VisitedQ(ref PairTerms t, ref int successors, ref double weights, ref double v, double shared)
    {
        double observed = WeightedSuccessorSum(ref Unsafe.Add(ref successors, t.Start), ref Unsafe.Add(ref weights, t.Start), (uint)t.Blocks, ref v);
        return (t.Expected + (t.Inverse * shared)) + (t.GammaInverse * observed);
    }

    /// <summary>
    /// Σ_slots N·V(s') over whole blocks of 4 slots (padding slots add 0): four running lane sums, one per slot
    /// position, combined as (l0 + l1) + (l2 + l3). (An AVX2 gather per block measured slower than these scalar
    /// loads on Zen 3.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double WeightedSuccessorSum(ref int next, ref double w, uint blocks, ref double v)
    {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        do
        {
            l0 += w * Unsafe.Add(ref v, next);
            l1 += Unsafe.Add(ref w, 1) * Unsafe.Add(ref v, Unsafe.Add(ref next, 1));
            l2 += Unsafe.Add(ref w, 2) * Unsafe.Add(ref v, Unsafe.Add(ref next, 2));
            l3 += Unsafe.Add(ref w, 3) * Unsafe.Add(ref v, Unsafe.Add(ref next, 3));
            next = ref Unsafe.Add(ref next, LearnedTabularModel.BlockSize);
            w = ref Unsafe.Add(ref w, LearnedTabularModel.BlockSize);
        }
        while (--blocks > 0);

        return (l0 + l1) + (l2 + l3);
    }

    private double Sweep(int nS)
    {
        // Bounds checks are elided by hand: every index comes from the model's invariants (known rows < capacity,
        // blocks within the successor store, successors are known rows or the padding row 0).
        LearnedTabularModel m = _model;
        int actions = _actionCount;
        ref int known = ref MemoryMarshal.GetArrayDataReference(m.KnownRowArray);
        ref bool absorbing = ref MemoryMarshal.GetArrayDataReference(m.AbsorbingFlags);
        ref PairTerms terms = ref MemoryMarshal.GetArrayDataReference(_terms);
        ulong[] maskArray = m.VisitedActionMasks;
        bool useMasks = maskArray.Length > 0;
        ref ulong masks = ref MemoryMarshal.GetArrayDataReference(maskArray);
        ulong allActions = actions >= 64 ? ulong.MaxValue : (1UL << actions) - 1;
        ref int successors = ref MemoryMarshal.GetArrayDataReference(m.Successors);
        ref double weights = ref MemoryMarshal.GetArrayDataReference(m.SuccessorVisits);
        ref double q = ref MemoryMarshal.GetArrayDataReference(_q);
        ref double v = ref MemoryMarshal.GetArrayDataReference(_v);
        ref double vNext = ref MemoryMarshal.GetArrayDataReference(_vNext);
        double gamma = _gamma;
        double lambda = m.LaplaceSmoothing;

        double gammaSumV = gamma * _sumV;
        double unvisitedQ = gammaSumV / nS;
        double shared = lambda * gammaSumV;
        double delta = 0;
        double sumNext = 0;
        for (int i = 0; i < nS; i++)
        {
            int s = Unsafe.Add(ref known, i);
            int baseIndex = s * actions;
            double best = double.NegativeInfinity;
            if (Unsafe.Add(ref absorbing, s))
            {
                double qa = gamma * Unsafe.Add(ref v, s);
                for (int a = 0; a < actions; a++)
                {
                    ref double qsa = ref Unsafe.Add(ref q, baseIndex + a);
                    delta = MaxChange(delta, qa, qsa);
                    qsa = qa;
                }

                best = qa;
            }
            else
            {
                ulong visited = useMasks ? Unsafe.Add(ref masks, s) : allActions;
                if (visited == allActions)
                {
                    // Every action visited (or more than 64 actions, kept without masks): one counted loop.
                    for (int a = 0; a < actions; a++)
                    {
                        int sa = baseIndex + a;
                        ref PairTerms t = ref Unsafe.Add(ref terms, sa);
                        double qNew = t.Blocks == 0 ? unvisitedQ : VisitedQ(ref t, ref successors, ref weights, ref v, shared);
                        ref double qsa = ref Unsafe.Add(ref q, sa);
                        delta = MaxChange(delta, qNew, qsa);
                        qsa = qNew;
                        best = MaxOf(best, qNew);
                    }
                }
                else
                {
                    // Visited actions first (one pass over the set bits: no per-action branch on N(s,a) = 0), then the
                    // unvisited ones, which all take the same value; max and max-change do not depend on the order.
                    ulong pending = visited;
                    while (pending != 0)
                    {
                        int sa = baseIndex + BitOperations.TrailingZeroCount(pending);
                        pending &= pending - 1;
                        double qNew = VisitedQ(ref Unsafe.Add(ref terms, sa), ref successors, ref weights, ref v, shared);
                        ref double qsa = ref Unsafe.Add(ref q, sa);
                        delta = MaxChange(delta, qNew, qsa);
                        qsa = qNew;
                        best = MaxOf(best, qNew);
                    }

                    best = MaxOf(best, unvisitedQ);
                    pending = ~visited & allActions;
                    do
                    {
                        ref double qsa = ref Unsafe.Add(ref q, baseIndex + BitOperations.TrailingZeroCount(pending));
                        pending &= pending - 1;
                        delta = MaxChange(delta, unvisitedQ, qsa);
                        qsa = unvisitedQ;
                    }
                    while (pending != 0);
                }
            }

            // V(s) = max_a Q(s,a), into the other buffer: the sweep keeps reading the previous V.
            Unsafe.Add(ref vNext, s) = best;
            sumNext += best;
        }

        (_v, _vNext) = (_vNext, _v);
        _sumV = sumNext;
        return delta;
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
        double[] q = _q;
        double[] v = _v;
        double[] seQ = _seQ;
        double[] seV = _seV;
        PairTerms[] terms = _terms;

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

                    delta = MaxChange(delta, qa, q[sa]);
                    q[sa] = qa;
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
                    double inv = terms[sa].Inverse;
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
                    qNew = terms[sa].Expected + (inv * ((gamma * observed) + shared));
                }

                delta = MaxChange(delta, qNew, q[sa]);
                q[sa] = qNew;
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
        double[] q = _q;
        for (int i = 0; i < nS; i++)
        {
            int s = known[i];
            int baseIndex = s * actions;
            int best = baseIndex;
            double bestQ = q[baseIndex];
            for (int a = 1; a < actions; a++)
            {
                double qa = q[baseIndex + a];
                if (qa > bestQ)
                {
                    bestQ = qa;
                    best = baseIndex + a;
                }
            }

            _v[s] = bestQ;
            if (_standardErrors)
            {
                _seV[s] = _seQ[best];
            }
        }
    }
}
