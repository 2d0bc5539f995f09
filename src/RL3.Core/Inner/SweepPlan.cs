using System.Runtime.Intrinsics;

namespace RL3.Core.Inner;

/// <summary>
/// The value-iteration sweep's own copy of a <see cref="LearnedTabularModel"/>, laid out so that one sweep reads
/// memory front to back, every state's actions side by side in vector lanes and each successor's value once per state:
/// <c>Q(s,·) = E + U·γΣV + G·Σ_{s' observed from s} W(s')·V(s')</c>.
/// </summary>
/// <remarks>
/// <para>
/// Row r belongs to the r-th known state (<see cref="LearnedTabularModel.KnownStates"/> order, so a sweep over the
/// known states walks the rows in storage order; <see cref="Rank"/> maps a state to its row). A row has four fields
/// of <see cref="Lanes"/> doubles each (stride <see cref="RowStride"/> in <see cref="Rows"/>): E (expected reward),
/// U (the weight of the shared term γΣ_{known} V), G (γ/D) and Q (the estimator's current Q, which the plan only
/// clears). With D = N(s,a) + λ n_s:
/// </para>
/// <code>
/// absorbing s:   E = 0,            U = 0,     G = γ,    one entry: s with weight 1 in every lane   → Q = γ V(s)
/// N(s,a) = 0:    E = 0,            U = 1/n_s, G = 0,    weight 0 in lane a                          → Q = γ Σ V / n_s
/// otherwise:     E = Σ(N+λ)R / D,  U = λ/D,   G = γ/D,  weight N(s,a,s') in lane a of the entry of s'
/// </code>
/// <para>
/// The successors of a row are the distinct states observed after any action of it (in the grid worlds the few
/// neighbours of s), each stored once as an entry: the successor and a vector of <see cref="Lanes"/> weights, lane a
/// holding N(s,a,s'). A sweep therefore loads each successor's value once and broadcasts it to all actions, instead of
/// gathering it per action. A row starts in a home block of <see cref="HomeEntries"/> entries (home blocks in row
/// order) and moves to a block of twice the size in an overflow store when it outgrows it. Lanes from A up to
/// <see cref="Lanes"/> (a multiple of 4) copy lane 0, so they change neither max_a Q nor max |ΔQ|.
/// </para>
/// <para>
/// <see cref="Sync"/> brings the plan up to date with the model: after one <see cref="LearnedTabularModel.Add"/>
/// it rewrites only the pair just observed (and every row's E, U, G when n_s changed); otherwise it rebuilds
/// from the model. Storage is allocated up front and grows (doubling) only when a meta-episode needs more room
/// than any before it.
/// </para>
/// </remarks>
internal sealed class SweepPlan
{
    /// <summary>Successor entries in a row's home block.</summary>
    internal const int HomeEntries = 8;

    private readonly int _stateCapacity;
    private readonly int _actionCount;
    private readonly double _gamma;
    private readonly int _homeSize;

    private readonly AlignedDoubleBuffer _rows;
    private AlignedDoubleBuffer _weights;
    private int _arenaEnd;

    // The model state the plan was last synchronised with (epoch −1: never).
    private long _syncedEpoch = -1;
    private long _syncedTransitions = -1;
    private int _syncedKnown = -1;
    private int _syncedAbsorbing = -1;

    /// <summary>Creates an empty plan for a model of the given shape.</summary>
    /// <param name="stateCapacity">State rows.</param>
    /// <param name="actionCount">Actions A.</param>
    /// <param name="gamma">The discount γ.</param>
    public SweepPlan(int stateCapacity, int actionCount, double gamma)
    {
        _stateCapacity = stateCapacity;
        _actionCount = actionCount;
        _gamma = gamma;
        Lanes = (actionCount + Vector256<double>.Count - 1) / Vector256<double>.Count * Vector256<double>.Count;
        RowStride = 4 * Lanes;
        _rows = new AlignedDoubleBuffer(stateCapacity * RowStride);
        Inverse = new double[(long)stateCapacity * Lanes];
        Rank = new int[stateCapacity];
        RowStart = new int[stateCapacity];
        RowCount = new int[stateCapacity];
        RowCapacity = new int[stateCapacity];
        _homeSize = stateCapacity * HomeEntries;
        Successors = new int[_homeSize + HomeEntries];
        _weights = new AlignedDoubleBuffer(Successors.Length * Lanes);
        Array.Fill(Rank, -1);
        ResetRows();
    }

    /// <summary>Actions rounded up to a multiple of the vector width.</summary>
    public int Lanes { get; }

    /// <summary>Doubles per row of <see cref="Rows"/>: the fields E, U, G and Q, <see cref="Lanes"/> each.</summary>
    public int RowStride { get; }

    /// <summary>Offset of the U field in a row.</summary>
    public int FieldU => Lanes;

    /// <summary>Offset of the G field in a row.</summary>
    public int FieldG => 2 * Lanes;

    /// <summary>Offset of the Q field in a row.</summary>
    public int FieldQ => 3 * Lanes;

    /// <summary>The row of each state (−1 while the state is not known).</summary>
    public int[] Rank { get; }

    /// <summary>Per row: E, U, G, Q (see the remarks); 64-byte aligned.</summary>
    public Span<double> Rows => _rows.Span;

    /// <summary>1/D per (row, lane) for visited, non-absorbing pairs (0 otherwise): the standard-error sweep's term.</summary>
    public double[] Inverse { get; }

    /// <summary>Where each row's entries start in <see cref="Successors"/> (and, times <see cref="Lanes"/>, in <see cref="Weights"/>).</summary>
    public int[] RowStart { get; }

    /// <summary>Entries in use per row: the distinct observed successors of its actions (1 for absorbing rows).</summary>
    public int[] RowCount { get; }

    /// <summary>Entries allocated per row.</summary>
    public int[] RowCapacity { get; }

    /// <summary>The successor state of each entry. Re-read after <see cref="Sync"/>: may grow.</summary>
    public int[] Successors { get; private set; }

    /// <summary>Per entry, <see cref="Lanes"/> weights: N(s,a,s') as doubles in lane a (0 for actions that never led there).</summary>
    public Span<double> Weights => _weights.Span;

    /// <summary>Forgets everything, Q included (start of a meta-episode).</summary>
    public void Reset()
    {
        Rows.Clear();
        Array.Clear(Inverse);
        Array.Fill(Rank, -1);
        ResetRows();
        _syncedEpoch = -1;
    }

    /// <summary>Makes this plan an exact copy of <paramref name="other"/> (same shape).</summary>
    public void CopyFrom(SweepPlan other)
    {
        other.Rows.CopyTo(Rows);
        Array.Copy(other.Inverse, Inverse, Inverse.Length);
        Array.Copy(other.Rank, Rank, Rank.Length);
        Array.Copy(other.RowStart, RowStart, RowStart.Length);
        Array.Copy(other.RowCount, RowCount, RowCount.Length);
        Array.Copy(other.RowCapacity, RowCapacity, RowCapacity.Length);
        if (Successors.Length < other._arenaEnd)
        {
            Grow(other._arenaEnd);
        }

        Array.Copy(other.Successors, Successors, other._arenaEnd);
        other.Weights[..(other._arenaEnd * Lanes)].CopyTo(Weights);
        _arenaEnd = other._arenaEnd;
        _syncedEpoch = other._syncedEpoch;
        _syncedTransitions = other._syncedTransitions;
        _syncedKnown = other._syncedKnown;
        _syncedAbsorbing = other._syncedAbsorbing;
    }

    /// <summary>Brings the plan up to date with <paramref name="model"/> (which must have this plan's shape).</summary>
    public void Sync(LearnedTabularModel model)
    {
        int nS = model.KnownStateCount;
        bool sameEpisode = model.Epoch == _syncedEpoch && model.AbsorbingCount == _syncedAbsorbing;
        if (sameEpisode && model.TransitionCount == _syncedTransitions && nS == _syncedKnown)
        {
            return;
        }

        if (sameEpisode && model.TransitionCount == _syncedTransitions + 1 && model.LastAddedPair >= 0)
        {
            RankNewRows(model, nS);
            int sa = model.LastAddedPair;
            int s = sa / _actionCount;
            int a = sa - (s * _actionCount);
            if (!model.AbsorbingFlags[s])
            {
                WriteSuccessors(model, s, a);
            }

            if (nS != _syncedKnown)
            {
                WriteAllTerms(model, nS);
            }
            else if (!model.AbsorbingFlags[s])
            {
                WriteTerms(model, s, a, 1, model.LaplaceSmoothing * nS, 1.0 / nS);
            }
        }
        else
        {
            Rebuild(model, nS);
        }

        _syncedEpoch = model.Epoch;
        _syncedTransitions = model.TransitionCount;
        _syncedKnown = nS;
        _syncedAbsorbing = model.AbsorbingCount;
    }

    /// <summary>Every known row rewritten from the model (entries cleared first); Q kept unless the model was reset.</summary>
    private void Rebuild(LearnedTabularModel model, int nS)
    {
        if (model.Epoch != _syncedEpoch)
        {
            Rows.Clear();
        }

        Array.Fill(Rank, -1);
        ResetRows();
        _syncedKnown = 0;
        RankNewRows(model, nS);
        ReadOnlySpan<int> known = model.KnownStates;
        for (int i = 0; i < nS; i++)
        {
            int s = known[i];
            if (model.AbsorbingFlags[s])
            {
                continue;
            }

            for (int a = 0; a < _actionCount; a++)
            {
                WriteSuccessors(model, s, a);
            }
        }

        WriteAllTerms(model, nS);
    }

    /// <summary>Rows for the states that became known since the last sync (their row is their place in the known order).</summary>
    private void RankNewRows(LearnedTabularModel model, int nS)
    {
        ReadOnlySpan<int> known = model.KnownStates;
        for (int i = Math.Max(_syncedKnown, 0); i < nS; i++)
        {
            Rank[known[i]] = i;
        }
    }

    /// <summary>E, U, G (and 1/D) of every known row; absorbing rows get their fixed self-loop.</summary>
    private void WriteAllTerms(LearnedTabularModel model, int nS)
    {
        double smoothingMass = model.LaplaceSmoothing * nS;
        double uniform = 1.0 / nS;
        ReadOnlySpan<int> known = model.KnownStates;
        bool[] absorbing = model.AbsorbingFlags;
        int actions = _actionCount;
        for (int i = 0; i < known.Length; i++)
        {
            int s = known[i];
            if (absorbing[s])
            {
                WriteAbsorbingRow(s);
                continue;
            }

            WriteTerms(model, s, 0, actions, smoothingMass, uniform);
        }
    }

    /// <summary>E, U, G and 1/D of the actions [first, first + count) of row s (lane 0 copied into the padding lanes).</summary>
    private void WriteTerms(LearnedTabularModel model, int s, int first, int count, double smoothingMass, double uniform)
    {
        int lanes = Lanes;
        int pair = s * _actionCount;
        int[] counts = model.PairCounts;
        double[] numerators = model.RewardNumerators;
        Span<double> rows = Rows;
        double[] inverse = Inverse;
        int r = Rank[s];
        int e = r * RowStride;
        int inv = r * lanes;
        double lambda = model.LaplaceSmoothing;
        for (int a = first; a < first + count; a++)
        {
            int n = counts[pair + a];
            if (n == 0)
            {
                (rows[e + a], rows[e + lanes + a], rows[e + (2 * lanes) + a], inverse[inv + a]) = (0, uniform, 0, 0);
            }
            else
            {
                double d = 1.0 / (n + smoothingMass);
                (rows[e + a], rows[e + lanes + a], rows[e + (2 * lanes) + a], inverse[inv + a]) = (numerators[pair + a] * d, lambda * d, _gamma * d, d);
            }
        }

        if (first == 0)
        {
            for (int lane = _actionCount; lane < lanes; lane++)
            {
                (rows[e + lane], rows[e + lanes + lane], rows[e + (2 * lanes) + lane], inverse[inv + lane]) = (rows[e], rows[e + lanes], rows[e + (2 * lanes)], inverse[inv]);
            }
        }
    }

    /// <summary>Copies the successor counts of (s,a) into lane a of the row's entries (and the padding lanes when a = 0).</summary>
    private void WriteSuccessors(LearnedTabularModel model, int s, int a)
    {
        int sa = (s * _actionCount) + a;
        int length = model.PairLength[sa];
        int from = model.PairStart[sa];
        int[] successors = model.Successors;
        double[] visits = model.SuccessorVisits;
        int r = Rank[s];
        int lanes = Lanes;
        for (int j = 0; j < length; j++)
        {
            int next = successors[from + j];
            int start = RowStart[r];
            int count = RowCount[r];
            int entry = start;
            while (entry < start + count && Successors[entry] != next)
            {
                entry++;
            }

            if (entry == start + count)
            {
                if (count == RowCapacity[r])
                {
                    GrowRow(r, count + 1);
                    entry = RowStart[r] + count;
                }

                Successors[entry] = next;
                RowCount[r] = count + 1;
            }

            int w = entry * lanes;
            Weights[w + a] = visits[from + j];
            if (a == 0)
            {
                for (int lane = _actionCount; lane < lanes; lane++)
                {
                    Weights[w + lane] = visits[from + j];
                }
            }
        }
    }

    /// <summary>An absorbing row: Q(s,·) = γ V(s) through one entry (successor s, weight 1 in every lane) and G = γ.</summary>
    private void WriteAbsorbingRow(int s)
    {
        int r = Rank[s];
        int row = r * RowStride;
        int lanes = Lanes;
        Span<double> rows = Rows;
        rows.Slice(row, lanes).Clear();
        rows.Slice(row + FieldU, lanes).Clear();
        rows.Slice(row + FieldG, lanes).Fill(_gamma);
        Inverse.AsSpan(r * lanes, lanes).Clear();
        int start = RowStart[r];
        Successors[start] = s;
        Weights.Slice(start * lanes, lanes).Fill(1.0);
        RowCount[r] = 1;
    }

    /// <summary>Every row back to its empty home block; the overflow store emptied.</summary>
    private void ResetRows()
    {
        for (int r = 0; r < _stateCapacity; r++)
        {
            RowStart[r] = r * HomeEntries;
            RowCapacity[r] = HomeEntries;
        }

        Array.Clear(RowCount);
        int used = Math.Min(Successors.Length, Math.Max(_arenaEnd, _homeSize));
        Array.Clear(Successors, 0, used);
        Weights[..(used * Lanes)].Clear();
        _arenaEnd = _homeSize;
    }

    /// <summary>Moves row r to a block of at least <paramref name="entries"/> entries (doubling) in the overflow store.</summary>
    private void GrowRow(int r, int entries)
    {
        int capacity = RowCapacity[r];
        int newCapacity = capacity;
        while (newCapacity < entries)
        {
            newCapacity *= 2;
        }

        if (_arenaEnd > Successors.Length - newCapacity)
        {
            Grow((long)_arenaEnd + newCapacity);
        }

        int lanes = Lanes;
        int from = RowStart[r];
        int to = _arenaEnd;
        int used = RowCount[r];
        Array.Copy(Successors, from, Successors, to, used);
        Weights.Slice(from * lanes, used * lanes).CopyTo(Weights.Slice(to * lanes));
        Array.Clear(Successors, to + used, newCapacity - used);
        Weights.Slice((to + used) * lanes, (newCapacity - used) * lanes).Clear();
        RowStart[r] = to;
        RowCapacity[r] = newCapacity;
        _arenaEnd = to + newCapacity;
    }

    private void Grow(long needed)
    {
        long size = Math.Max(needed, 2L * Successors.Length);
        long limit = Array.MaxLength / Lanes;
        if (size > limit)
        {
            size = Math.Max(needed, limit);
        }

        var successors = Successors;
        Array.Resize(ref successors, (int)size);
        Successors = successors;
        var weights = new AlignedDoubleBuffer((int)size * Lanes);
        Weights.CopyTo(weights.Span);
        _weights = weights;
    }
}
