namespace RL3.Core.Tasks;

/// <summary>
/// Optional view of a task whose true dynamics are a finite MDP. Oracles and tests plan with it; agents
/// never see it.
/// </summary>
public interface ITabularMdp
{
    /// <summary>Number of states of the true MDP.</summary>
    int MdpStateCount { get; }

    /// <summary>Number of actions.</summary>
    int MdpActionCount { get; }

    /// <summary>The true MDP state the task is in now.</summary>
    int CurrentMdpState { get; }

    /// <summary>Writes T(·|s,a) into <paramref name="probabilities"/> (length <see cref="MdpStateCount"/>).</summary>
    /// <param name="state">The state s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="probabilities">Receives the next-state distribution.</param>
    void GetTransitionProbabilities(int state, int action, Span<double> probabilities);

    /// <summary>The expected reward of the transition (s, a, s').</summary>
    /// <param name="state">The state s.</param>
    /// <param name="action">The action a.</param>
    /// <param name="nextState">The next state s'.</param>
    /// <returns>E[r | s, a, s'].</returns>
    double ExpectedReward(int state, int action, int nextState);

    /// <summary>Whether entering <paramref name="state"/> ends the episode (absorbing).</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for absorbing states.</returns>
    bool IsAbsorbing(int state);
}
