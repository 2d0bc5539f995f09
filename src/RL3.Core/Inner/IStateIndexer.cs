namespace RL3.Core.Inner;

/// <summary>Maps a task's states to inner-estimator table rows (0, 1, 2, … in order of first visit, or the state index itself).</summary>
public interface IStateIndexer
{
    /// <summary>Number of rows handed out so far (the number of known states n_s).</summary>
    int Count { get; }

    /// <summary>Maximum number of rows.</summary>
    int Capacity { get; }

    /// <summary>
    /// The number of states the estimator should treat as known from the start (<see cref="IInnerRLEstimator.Reset"/>'s
    /// argument): the full state count for direct indexing, 0 for indexers that discover rows.
    /// </summary>
    int FixedStateCount { get; }

    /// <summary>Forgets every row (start of a meta-episode).</summary>
    void Reset();

    /// <summary>Returns the row of a state, adding it if new.</summary>
    /// <param name="stateIndex">The task's discrete state index (−1 for continuous tasks).</param>
    /// <param name="observation">The task's observation of the state.</param>
    /// <returns>The row.</returns>
    /// <exception cref="InvalidOperationException">The indexer is full.</exception>
    int GetOrAdd(int stateIndex, ReadOnlySpan<float> observation);
}
