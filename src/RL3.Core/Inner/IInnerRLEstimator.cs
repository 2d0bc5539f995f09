namespace RL3.Core.Inner;

/// <summary>
/// The RL inside RL³: an ordinary RL algorithm that learns from one task's transitions during a
/// meta-episode and reports, for any known state, its Q-values, value, standard errors and visit counts.
/// </summary>
/// <remarks>
/// States are table rows. With a fixed state count (discrete tasks) every row in [0, S) is known from the
/// start; with <c>fixedStateCount = 0</c> rows are discovered in order of first visit (0, 1, 2, …) and the
/// number of known states grows. <see cref="Observe"/> and <see cref="Estimate"/> must not allocate in
/// steady state.
/// </remarks>
public interface IInnerRLEstimator
{
    /// <summary>Number of actions A.</summary>
    int ActionCount { get; }

    /// <summary>Maximum number of state rows this estimator can hold.</summary>
    int StateCapacity { get; }

    /// <summary>Whether <see cref="Estimate"/> writes meaningful standard errors (otherwise it writes zeros).</summary>
    bool ProvidesStandardErrors { get; }

    /// <summary>Forgets everything: called at the start of each meta-episode.</summary>
    /// <param name="fixedStateCount">The number of discrete states known up front, or 0 when rows are discovered as they are visited.</param>
    void Reset(int fixedStateCount);

    /// <summary>Learns from one transition and refreshes the estimates.</summary>
    /// <param name="transition">The transition.</param>
    void Observe(in InnerTransition transition);

    /// <summary>Writes the current estimates for one state into caller-owned spans (each of length <see cref="ActionCount"/>).</summary>
    /// <param name="state">The state row.</param>
    /// <param name="q">Receives Q(s,·).</param>
    /// <param name="standardErrorQ">Receives SE_Q(s,·) (zeros when standard errors are off).</param>
    /// <param name="visitCounts">Receives N(s,·).</param>
    /// <returns>V(s) = max_a Q(s,a) and its standard error.</returns>
    InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts);
}
