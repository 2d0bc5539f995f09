using RL3.Core.Randomness;

namespace RL3.Core.Tasks;

/// <summary>
/// Deterministic, seekable sampling of the tasks of one split: task <c>i</c> of a split is always the same task
/// for the same base seed, and training and test tasks come from disjoint seeds.
/// </summary>
/// <remarks>
/// Task <c>i</c> of split <c>k</c> (Training = 0, Test = 1) is drawn from
/// <c>RandomSource.Derive(baseSeed, 2·i + k)</c>: training tasks use the even stream ids, test tasks the odd ones.
/// For a fixed base seed the derived seed is a bijection of the stream id (SplitMix64's finaliser is invertible),
/// so no training task seed can ever equal a test task seed. The sampler's whole state is <see cref="Position"/>
/// (the index of the next task): save it with a checkpoint and restore it with <see cref="Seek"/>.
/// Not thread-safe; <see cref="SampleAt"/> is safe to call concurrently when the distribution's
/// <see cref="ITaskDistribution.Sample"/> is.
/// </remarks>
public sealed class TaskSampler
{
    /// <summary>Creates a sampler positioned at <paramref name="position"/>.</summary>
    /// <param name="distribution">The task distribution.</param>
    /// <param name="baseSeed">The base seed shared by both splits.</param>
    /// <param name="split">Which split this sampler draws from.</param>
    /// <param name="position">Index of the first task <see cref="Next"/> returns, ≥ 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="distribution"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not a defined split, or <paramref name="position"/> is negative.</exception>
    public TaskSampler(ITaskDistribution distribution, ulong baseSeed, TaskSplit split, long position = 0)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        CheckSplit(split);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Distribution = distribution;
        BaseSeed = baseSeed;
        Split = split;
        Position = position;
    }

    /// <summary>The task distribution.</summary>
    public ITaskDistribution Distribution { get; }

    /// <summary>The base seed.</summary>
    public ulong BaseSeed { get; }

    /// <summary>The split.</summary>
    public TaskSplit Split { get; }

    /// <summary>Index of the task the next call to <see cref="Next"/> returns (the sampler's complete state).</summary>
    public long Position { get; private set; }

    /// <summary>The seed task <paramref name="index"/> of <paramref name="split"/> is drawn from.</summary>
    /// <param name="baseSeed">The base seed.</param>
    /// <param name="split">The split.</param>
    /// <param name="index">The task index, ≥ 0.</param>
    /// <returns>The task's seed.</returns>
    public static ulong GetTaskSeed(ulong baseSeed, TaskSplit split, long index)
    {
        CheckSplit(split);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return RandomSource.DeriveSeed(baseSeed, StreamId(split, index));
    }

    /// <summary>Samples task <paramref name="index"/> of this split without moving <see cref="Position"/>.</summary>
    /// <param name="index">The task index, ≥ 0.</param>
    /// <returns>A new task, not yet reset.</returns>
    public ITask SampleAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Distribution.Sample(RandomSource.Derive(BaseSeed, StreamId(Split, index)));
    }

    /// <summary>Samples the task at <see cref="Position"/> and advances by one.</summary>
    /// <returns>A new task, not yet reset.</returns>
    public ITask Next()
    {
        var task = SampleAt(Position);
        Position++;
        return task;
    }

    /// <summary>Samples <paramref name="count"/> consecutive tasks starting at <paramref name="first"/>, without moving <see cref="Position"/>.</summary>
    /// <param name="first">Index of the first task, ≥ 0.</param>
    /// <param name="count">Number of tasks, ≥ 0.</param>
    /// <returns>The tasks, in index order.</returns>
    public ITask[] SampleRange(long first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tasks = new ITask[count];
        for (int i = 0; i < count; i++)
        {
            tasks[i] = SampleAt(first + i);
        }

        return tasks;
    }

    /// <summary>Moves to <paramref name="position"/> (restores a saved <see cref="Position"/>).</summary>
    /// <param name="position">The index of the next task, ≥ 0.</param>
    public void Seek(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Position = position;
    }

    private static ulong StreamId(TaskSplit split, long index) => (2UL * (ulong)index) + (ulong)split;

    private static void CheckSplit(TaskSplit split)
    {
        if (split is not (TaskSplit.Training or TaskSplit.Test))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Training or Test.");
        }
    }
}
