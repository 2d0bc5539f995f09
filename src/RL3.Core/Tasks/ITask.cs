using RL3.Core.Randomness;

namespace RL3.Core.Tasks;

/// <summary>
/// One task: a single MDP instance with a Gymnasium-shaped contract (reset, then step until the episode
/// ends). Implementations must allocate nothing in <see cref="Reset"/> and <see cref="Step"/>.
/// </summary>
/// <remarks>
/// The task keeps the <see cref="RandomSource"/> passed to <see cref="Reset"/> and draws all of its
/// stochasticity (start states, transitions, reward noise) from it until the next reset. A task never shares
/// a random source with another task unless the caller passes the same one.
/// </remarks>
public interface ITask
{
    /// <summary>Number of discrete actions A; actions are 0 … A−1.</summary>
    int ActionCount { get; }

    /// <summary>Length of the observation vector the task writes.</summary>
    int ObservationSize { get; }

    /// <summary>
    /// Index of the current discrete state in [0, <see cref="ITaskDistribution.StateCount"/>), or −1 when the
    /// task's observations are continuous (vector states, indexed by an <c>IStateIndexer</c>).
    /// </summary>
    int StateIndex { get; }

    /// <summary>Starts a new episode of this same task and writes the first observation.</summary>
    /// <param name="random">The random stream the task uses from now on.</param>
    /// <param name="observation">Receives the observation; length <see cref="ObservationSize"/>.</param>
    void Reset(RandomSource random, Span<float> observation);

    /// <summary>Takes one action and writes the next observation.</summary>
    /// <param name="action">The action, in [0, <see cref="ActionCount"/>).</param>
    /// <param name="observation">Receives the next observation; length <see cref="ObservationSize"/>.</param>
    /// <returns>The reward and whether the episode ended.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The action is out of range.</exception>
    /// <exception cref="InvalidOperationException">The task was not reset, or its episode already ended.</exception>
    TaskStep Step(int action, Span<float> observation);

    /// <summary>A human-readable picture of the task and its current state (for debugging).</summary>
    /// <returns>A multi-line description.</returns>
    string Render();
}
