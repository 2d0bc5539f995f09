using RL3.Core.Randomness;

namespace RL3.Core.Tasks;

/// <summary>
/// A family of tasks (MDPs) that a meta-learner trains across: how to sample one task, the action and
/// observation spaces every task shares, and the task horizon.
/// </summary>
public interface ITaskDistribution
{
    /// <summary>A short, stable name (for example <c>bandits-k5</c>, <c>grid-13x13-dense</c>).</summary>
    string Name { get; }

    /// <summary>Number of discrete actions A shared by every task.</summary>
    int ActionCount { get; }

    /// <summary>Length of every task's observation vector.</summary>
    int ObservationSize { get; }

    /// <summary>
    /// Number of discrete states when tasks report <see cref="ITask.StateIndex"/> (observations are then the
    /// one-hot state); 0 when observations are continuous features.
    /// </summary>
    int StateCount { get; }

    /// <summary>The task horizon TH: a task episode is truncated after this many steps; 0 means unbounded.</summary>
    int TaskHorizon { get; }

    /// <summary>Samples one task. The task's parameters depend only on the draws taken from <paramref name="random"/>.</summary>
    /// <param name="random">The random stream to draw the task's parameters from.</param>
    /// <returns>A new task, not yet reset.</returns>
    ITask Sample(RandomSource random);
}
