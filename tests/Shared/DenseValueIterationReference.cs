namespace RL3.Core.Inner;

/// <summary>
/// The literal dense value iteration of the reference code (<c>vi.jl</c>): every solve builds the full
/// T[s,a,s'], R[s,a,s'] (and SE_T, SE_R) over the known states from the model's per-entry definitions, then
/// sweeps O(n_s²·A). Used by tests as an independent check of <see cref="ModelBasedValueIteration"/> and by the
/// benchmarks as the baseline. Starts from zero unless the options ask for a warm start.
/// </summary>
internal sealed class DenseValueIterationReference : IInnerRLEstimator
{
    private readonly LearnedTabularModel _model;
    private readonly int _actionCount;
    private readonly double _gamma;
    private readonly double _epsilon;
    private readonly int _maxSweeps;
    private readonly bool _warmStart;
    private readonly bool _standardErrors;
    private readonly double[] _q;
    private readonly double[] _v;
    private readonly double[] _seQ;
    private readonly double[] _seV;
    private readonly double[] _t;
    private readonly double[] _r;
    private readonly double[] _seT;
    private readonly double[] _seR;
    private readonly double[] _qc;
    private readonly double[] _vc;
    private readonly double[] _seQc;
    private readonly double[] _seVc;

    public DenseValueIterationReference(int stateCapacity, int actionCount, ModelBasedValueIterationOptions? options = null)
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
        long cube = (long)pairs * stateCapacity;
        _q = new double[pairs];
        _v = new double[stateCapacity];
        _seQ = new double[pairs];
        _seV = new double[stateCapacity];
        _t = new double[cube];
        _r = new double[cube];
        _seT = new double[_standardErrors ? cube : 0];
        _seR = new double[_standardErrors ? cube : 0];
        _qc = new double[pairs];
        _vc = new double[stateCapacity];
        _seQc = new double[pairs];
        _seVc = new double[stateCapacity];
    }

    public int ActionCount => _actionCount;

    public int StateCapacity => _model.StateCapacity;

    public bool ProvidesStandardErrors => _standardErrors;

    public LearnedTabularModel Model => _model;

    public int LastSweepCount { get; private set; }

    public void Reset(int fixedStateCount)
    {
        _model.Reset(fixedStateCount);
        Array.Clear(_q);
        Array.Clear(_v);
        Array.Clear(_seQ);
        Array.Clear(_seV);
        LastSweepCount = 0;
    }

    public void Observe(in InnerTransition transition)
    {
        _model.Add(transition);
        Solve();
    }

    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        int a = _actionCount;
        _q.AsSpan(state * a, a).CopyTo(q);
        if (_standardErrors)
        {
            _seQ.AsSpan(state * a, a).CopyTo(standardErrorQ);
        }
        else
        {
            standardErrorQ.Clear();
        }

        for (int i = 0; i < a; i++)
        {
            visitCounts[i] = _model.Count(state, i);
        }

        return new InnerValue(_v[state], _standardErrors ? _seV[state] : 0.0);
    }

    /// <summary>Copies the model of another dense reference (the values are recomputed by the next solve, or warm-started from the copy).</summary>
    public void CopyFrom(DenseValueIterationReference other)
    {
        _model.CopyFrom(other._model);
        Array.Copy(other._q, _q, _q.Length);
        Array.Copy(other._v, _v, _v.Length);
        Array.Copy(other._seQ, _seQ, _seQ.Length);
        Array.Copy(other._seV, _seV, _seV.Length);
        LastSweepCount = other.LastSweepCount;
    }

    /// <summary>Re-solves Q on the current model (what Observe does after learning); internal for benchmarks.</summary>
    internal void Solve()
    {
        LearnedTabularModel m = _model;
        int n = m.KnownStateCount;
        int actions = _actionCount;
        ReadOnlySpan<int> known = m.KnownStates;

        // Build the dense model over the known states (compact indices i, j ↔ rows known[i], known[j]).
        for (int i = 0; i < n; i++)
        {
            int s = known[i];
            for (int a = 0; a < actions; a++)
            {
                int row = ((i * actions) + a) * n;
                for (int j = 0; j < n; j++)
                {
                    int next = known[j];
                    _t[row + j] = m.TransitionProbability(s, a, next);
                    _r[row + j] = m.Reward(s, a, next);
                    if (_standardErrors)
                    {
                        _seT[row + j] = m.TransitionStandardError(s, a, next);
                        _seR[row + j] = m.RewardStandardError(s, a, next);
                    }
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            int s = known[i];
            for (int a = 0; a < actions; a++)
            {
                _qc[(i * actions) + a] = _warmStart ? _q[(s * actions) + a] : 0;
                _seQc[(i * actions) + a] = _warmStart ? _seQ[(s * actions) + a] : 0;
            }

            _vc[i] = _warmStart ? _v[s] : 0;
            _seVc[i] = _warmStart ? _seV[s] : 0;
        }

        double gamma = _gamma;
        int sweeps = 0;
        while (sweeps < _maxSweeps)
        {
            double delta = 0;
            for (int ia = 0; ia < n * actions; ia++)
            {
                ReadOnlySpan<double> t = _t.AsSpan(ia * n, n);
                ReadOnlySpan<double> r = _r.AsSpan(ia * n, n);
                double qNew = 0;
                double variance = 0;
                for (int j = 0; j < n; j++)
                {
                    qNew += t[j] * (r[j] + (gamma * _vc[j]));
                }

                if (_standardErrors)
                {
                    ReadOnlySpan<double> seT = _seT.AsSpan(ia * n, n);
                    ReadOnlySpan<double> seR = _seR.AsSpan(ia * n, n);
                    for (int j = 0; j < n; j++)
                    {
                        double varRv = (seR[j] * seR[j]) + (gamma * gamma * _seVc[j] * _seVc[j]);
                        double varT = seT[j] * seT[j];
                        double x = r[j] + (gamma * _vc[j]);
                        variance += (t[j] * t[j] * varRv) + (x * x * varT) + (varRv * varT);
                    }
                }

                delta = Math.Max(delta, Math.Abs(qNew - _qc[ia]));
                _qc[ia] = qNew;
                _seQc[ia] = Math.Sqrt(Math.Max(variance, 0.0));
            }

            sweeps++;
            for (int i = 0; i < n; i++)
            {
                int best = i * actions;
                for (int a = 1; a < actions; a++)
                {
                    if (_qc[(i * actions) + a] > _qc[best])
                    {
                        best = (i * actions) + a;
                    }
                }

                _vc[i] = _qc[best];
                _seVc[i] = _seQc[best];
            }

            if (delta < _epsilon)
            {
                break;
            }
        }

        for (int i = 0; i < n; i++)
        {
            int s = known[i];
            for (int a = 0; a < actions; a++)
            {
                _q[(s * actions) + a] = _qc[(i * actions) + a];
                _seQ[(s * actions) + a] = _standardErrors ? _seQc[(i * actions) + a] : 0;
            }

            _v[s] = _vc[i];
            _seV[s] = _standardErrors ? _seVc[i] : 0;
        }

        LastSweepCount = sweeps;
    }
}
