using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>A meta-policy acting for every slot of a wave in one batched call, sampling from one shared stream.</summary>
internal sealed class PolicyPlayer : IEvaluationPlayer
{
    private readonly IMetaPolicy _policy;
    private readonly ActionSelection _selection;
    private readonly RandomSource _random;
    private MetaEnvironmentBatch? _batch;
    private IMetaPolicyState? _state;
    private float[] _logProbabilities = [];
    private float[] _values = [];

    /// <summary>Creates the player.</summary>
    /// <param name="policy">The policy (used from one thread).</param>
    /// <param name="selection">Greedy or sampled actions.</param>
    /// <param name="random">The shared sampling stream (<see cref="EvaluationLoop.PolicyActionStream"/>).</param>
    public PolicyPlayer(IMetaPolicy policy, ActionSelection selection, RandomSource random)
    {
        _policy = policy;
        _selection = selection;
        _random = random;
    }

    public bool PadsPartialWaves => true;

    public void BeginWave(MetaEnvironmentBatch batch)
    {
        if (!ReferenceEquals(batch, _batch))
        {
            _batch = batch;
            _state = _policy.CreateState(batch.SlotCount);
            _logProbabilities = new float[batch.SlotCount];
            _values = new float[batch.SlotCount];
        }

        _state!.ResetAll();
    }

    public void BeginMetaEpisode(int slot, RandomSource taskAgentRandom)
    {
    }

    public void Act(int[] actions) =>
        _policy.Act(_state!, _batch!.Observations, _selection, _random, actions, _logProbabilities, _values);

    public void Observe(int[] actions)
    {
    }
}
