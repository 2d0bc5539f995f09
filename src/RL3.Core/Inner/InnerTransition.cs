namespace RL3.Core.Inner;

/// <summary>One transition as an inner estimator sees it, with states already mapped to table rows.</summary>
/// <param name="State">Row of the state s the action was taken in.</param>
/// <param name="Action">The action a.</param>
/// <param name="Reward">The reward r (finite).</param>
/// <param name="NextState">Row of the state s' the task moved to (the terminal state when <paramref name="Absorbing"/>).</param>
/// <param name="Absorbing">The task reported absorption after this transition: s' is absorbing.</param>
/// <param name="EpisodeStart">s was the first state of a task episode.</param>
public readonly record struct InnerTransition(int State, int Action, double Reward, int NextState, bool Absorbing, bool EpisodeStart);
