namespace RL3.Core.Inner;

/// <summary>
/// RL³-coarse state abstraction: a new observation joins the cluster of the nearest known observation within
/// Euclidean radius ρ whose cluster is not yet full; otherwise it starts a new row.
/// </summary>
/// <remarks>
/// <para>
/// Source: docs/method.md §3 and the reference code's <c>assign_abstract_state_id</c>. An exact revisit returns its
/// row. A new observation x is compared with every known observation y whose cluster has fewer than
/// <see cref="MaxClusterSize"/> members; the nearest y with ‖x − y‖ &lt; ρ (strictly, ties to the earliest
/// visited) gives x its row. With the default cluster size 2 the only candidates are clusters of one member, so
/// "nearest known state" and "nearest cluster centre" coincide. Paper radii: 0.1 on 11x11, 0.08 on 13x13.
/// </para>
/// <para>Preallocated for <see cref="Capacity"/> rows and Capacity × MaxClusterSize observations: no allocation after construction.</para>
/// </remarks>
public sealed class RadiusClusteringStateIndexer : IStateIndexer
{
    private readonly FloatVectorTable _table;
    private readonly int[] _clusterSize;
    private readonly int _capacity;
    private readonly double _radius;
    private readonly double _radiusSquared;
    private readonly int _maxClusterSize;
    private int _rows;

    /// <summary>Creates the indexer.</summary>
    /// <param name="observationSize">Length of every observation vector (at least 1).</param>
    /// <param name="capacity">Maximum number of rows (at least 1).</param>
    /// <param name="radius">The clustering radius ρ (finite, at least 0; 0 gives exact matching).</param>
    /// <param name="maxClusterSize">Maximum observations per row (at least 1). Default 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RadiusClusteringStateIndexer(int observationSize, int capacity, double radius, int maxClusterSize = 2)
    {
        if (observationSize < 1)
        {
            Guard.ThrowOutOfRange(observationSize, "in [1, int.MaxValue]", nameof(observationSize));
        }

        if (maxClusterSize < 1)
        {
            Guard.ThrowOutOfRange(maxClusterSize, "in [1, int.MaxValue]", nameof(maxClusterSize));
        }

        if (capacity < 1 || (long)capacity * maxClusterSize * observationSize > int.MaxValue / 4)
        {
            Guard.ThrowOutOfRange(capacity, "in [1, int.MaxValue / 4 / (observationSize × maxClusterSize)]", nameof(capacity));
        }

        if (!(radius >= 0) || double.IsInfinity(radius))
        {
            Guard.ThrowOutOfRange(radius, "in [0, ∞) (finite)", nameof(radius));
        }

        _table = new FloatVectorTable(observationSize, capacity * maxClusterSize);
        _clusterSize = new int[capacity];
        _capacity = capacity;
        _radius = radius;
        _radiusSquared = radius * radius;
        _maxClusterSize = maxClusterSize;
    }

    /// <inheritdoc/>
    public int Count => _rows;

    /// <inheritdoc/>
    public int Capacity => _capacity;

    /// <summary>0: rows are discovered.</summary>
    public int FixedStateCount => 0;

    /// <summary>Length of every observation vector.</summary>
    public int ObservationSize => _table.Dimension;

    /// <summary>Maximum observations per row.</summary>
    public int MaxClusterSize => _maxClusterSize;

    /// <summary>Number of distinct observations assigned to a row so far.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The cluster's size.</returns>
    public int ClusterSize(int row)
    {
        Guard.Index(row, _rows, nameof(row));
        return _clusterSize[row];
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _table.Clear();
        Array.Clear(_clusterSize);
        _rows = 0;
    }

    /// <inheritdoc/>
    /// <param name="stateIndex">Ignored.</param>
    /// <param name="observation">The observation (length <see cref="ObservationSize"/>, finite).</param>
    /// <exception cref="ArgumentException">The observation has the wrong length or a non-finite component.</exception>
    /// <exception cref="InvalidOperationException">The observation needs a new row and all rows are taken.</exception>
    public int GetOrAdd(int stateIndex, ReadOnlySpan<float> observation)
    {
        int dimension = _table.Dimension;
        Guard.FiniteValues(observation, dimension, nameof(observation), "the observation size");
        int row = _table.Find(observation);
        if (row >= 0)
        {
            return row;
        }

        int best = -1;
        double bestDistance = double.PositiveInfinity;
        if (_maxClusterSize > 1 && _radius > 0)
        {
            ReadOnlySpan<float> keys = _table.Keys;
            for (int entry = 0, count = _table.Count; entry < count; entry++)
            {
                int candidate = _table.Value(entry);
                if (_clusterSize[candidate] >= _maxClusterSize)
                {
                    continue;
                }

                ReadOnlySpan<float> y = keys.Slice(entry * dimension, dimension);
                double d2 = 0;
                for (int i = 0; i < dimension; i++)
                {
                    double d = (double)observation[i] - y[i];
                    d2 += d * d;
                }

                if (d2 < _radiusSquared && d2 < bestDistance)
                {
                    bestDistance = d2;
                    best = candidate;
                }
            }
        }

        if (best < 0)
        {
            if (_rows == _capacity)
            {
                Guard.ThrowStateIndexerFull(_capacity);
            }

            best = _rows++;
        }

        _clusterSize[best]++;
        _table.Add(observation, best);
        return best;
    }
}
