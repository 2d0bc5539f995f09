namespace RL3.Core.Inner;

/// <summary>Indexes discrete states by themselves: row = the task's state index. All S rows are known from the start.</summary>
public sealed class DirectStateIndexer : IStateIndexer
{
    private readonly int _stateCount;

    /// <summary>Creates the indexer.</summary>
    /// <param name="stateCount">The number of discrete states S (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stateCount"/> is below 1.</exception>
    public DirectStateIndexer(int stateCount)
    {
        if (stateCount < 1)
        {
            Guard.ThrowOutOfRange(stateCount, "in [1, int.MaxValue]", nameof(stateCount));
        }

        _stateCount = stateCount;
    }

    /// <summary>S: every row is known from the start.</summary>
    public int Count => _stateCount;

    /// <inheritdoc/>
    public int Capacity => _stateCount;

    /// <summary>S.</summary>
    public int FixedStateCount => _stateCount;

    /// <inheritdoc/>
    public void Reset()
    {
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stateIndex"/> is outside [0, S).</exception>
    public int GetOrAdd(int stateIndex, ReadOnlySpan<float> observation)
    {
        Guard.Index(stateIndex, _stateCount, nameof(stateIndex));
        return stateIndex;
    }
}
