namespace RL3.Core.Tasks;

/// <summary>The outcome of <see cref="ITask.Step"/>.</summary>
/// <param name="Reward">The reward (finite).</param>
/// <param name="Terminated">The task reached an absorbing state; the episode is over.</param>
/// <param name="Truncated">The task cut the episode short (for example its own time limit); the episode is over.</param>
public readonly record struct TaskStep(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>Whether the episode is over (terminated or truncated).</summary>
    public bool EpisodeEnded => Terminated || Truncated;
}
