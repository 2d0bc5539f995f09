using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>
/// A trained <see cref="IMetaPolicy"/> as an <see cref="IMetaAgent"/>: one meta-episode at a time through a one-slot
/// policy state, so a policy plays wherever an agent can (for example <see cref="MetaEpisodeRunner"/>).
/// </summary>
/// <remarks>
/// Agents of the same policy share its weights; calls into the policy are serialised on it, since an
/// <see cref="IMetaPolicy"/> is not thread-safe. <see cref="MetaEvaluator"/> does not use this class for a
/// <see cref="PolicyAgentFactory"/>: it plays the policy batched (all slots in one call), which is faster and equals
/// <c>Training.PolicyEvaluator</c> task for task. Sampled actions here come from the stream given to
/// <see cref="BeginMetaEpisode"/>.
/// </remarks>
public sealed class PolicyAgent : IMetaAgent
{
    private readonly IMetaPolicy _policy;
    private readonly ActionSelection _selection;
    private readonly IMetaPolicyState _state;
    private readonly int[] _action = new int[1];
    private readonly float[] _logProbability = new float[1];
    private readonly float[] _value = new float[1];
    private RandomSource? _random;

    /// <summary>Creates the agent.</summary>
    /// <param name="name">The method's display name.</param>
    /// <param name="policy">The trained policy (not disposed by the agent).</param>
    /// <param name="selection">Greedy (the most probable action) or sampled actions.</param>
    public PolicyAgent(string name, IMetaPolicy policy, ActionSelection selection = ActionSelection.Greedy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(policy);
        if (!Enum.IsDefined(selection))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection, "selection must be Greedy or Sample.");
        }

        Name = name;
        _policy = policy;
        _selection = selection;
        lock (policy)
        {
            _state = policy.CreateState(1);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        PolicyAgentFactory.CheckShapes(_policy, environment.ObservationSize, environment.InteractionBudget, nameof(environment));
        _random = random;
        _state.ResetAll();
    }

    /// <inheritdoc />
    public int Act(ReadOnlySpan<float> observation)
    {
        if (_random is null)
        {
            throw new InvalidOperationException("Call BeginMetaEpisode before Act.");
        }

        lock (_policy)
        {
            _policy.Act(_state, observation, _selection, _random, _action, _logProbability, _value);
        }

        return _action[0];
    }

    /// <inheritdoc />
    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
        // The policy's recurrent state already holds the history; the next observation arrives with the next Act.
    }
}
