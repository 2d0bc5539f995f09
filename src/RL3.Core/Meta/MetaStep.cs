namespace RL3.Core.Meta;

/// <summary>The outcome of one <see cref="MetaEnvironment.Step"/>.</summary>
/// <param name="Reward">The task's reward r_t.</param>
/// <param name="MetaEpisodeEnded">The interaction budget H is used up (t = H).</param>
/// <param name="TaskEpisodeEnded">The task episode ended on this step (absorbing state or task horizon); the task was reset.</param>
/// <param name="Absorbed">The task reached an absorbing state on this step.</param>
public readonly record struct MetaStep(double Reward, bool MetaEpisodeEnded, bool TaskEpisodeEnded, bool Absorbed);
