namespace RL3.Core.Inner;

/// <summary>
/// Indexes continuous observations by exact match: every distinct observation vector gets the next row, in
/// order of first visit (0, 1, 2, …).
/// </summary>
/// <remarks>
/// A hash table over the float bits (−0 equals +0), preallocated for <see cref="Capacity"/> rows: after
/// construction, lookups and additions allocate nothing. NaN or infinite components are rejected.
/// </remarks>
public sealed class ExactMatchStateIndexer : IStateIndexer
{
    private readonly FloatVectorTable _table;

    /// <summary>Creates the indexer.</summary>
    /// <param name="observationSize">Length of every observation vector (at least 1).</param>
    /// <param name="capacity">Maximum number of rows (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is below 1.</exception>
    public ExactMatchStateIndexer(int observationSize, int capacity)
    {
        if (observationSize < 1)
        {
            Guard.ThrowOutOfRange(observationSize, "in [1, int.MaxValue]", nameof(observationSize));
        }

        if (capacity < 1 || (long)capacity * observationSize > int.MaxValue / 4)
        {
            Guard.ThrowOutOfRange(capacity, "in [1, int.MaxValue / 4 / observationSize]", nameof(capacity));
        }

        _table = new FloatVectorTable(observationSize, capacity);
    }

    /// <inheritdoc/>
    public int Count => _table.Count;

    /// <inheritdoc/>
    public int Capacity => _table.Capacity;

    /// <summary>0: rows are discovered.</summary>
    public int FixedStateCount => 0;

    /// <summary>Length of every observation vector.</summary>
    public int ObservationSize => _table.Dimension;

    /// <inheritdoc/>
    public void Reset() => _table.Clear();

    /// <inheritdoc/>
    /// <param name="stateIndex">Ignored.</param>
    /// <param name="observation">The observation (length <see cref="ObservationSize"/>, finite).</param>
    /// <exception cref="ArgumentException">The observation has the wrong length or a non-finite component.</exception>
    /// <exception cref="InvalidOperationException">The observation is new and all rows are taken.</exception>
    public int GetOrAdd(int stateIndex, ReadOnlySpan<float> observation)
    {
        Guard.FiniteValues(observation, _table.Dimension, nameof(observation), "the observation size");
        int row = _table.Find(observation);
        if (row >= 0)
        {
            return row;
        }

        if (_table.Count == _table.Capacity)
        {
            Guard.ThrowStateIndexerFull(_table.Capacity);
        }

        row = _table.Count;
        _table.Add(observation, row);
        return row;
    }
}
