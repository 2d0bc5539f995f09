using RL3.Core.Meta;
using RL3.Core.Parallelism;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>Per-task agents (<see cref="IMetaAgent"/>): a fresh agent per task, its own stream, slots acting in parallel.</summary>
internal sealed class AgentPlayer : IEvaluationPlayer
{
    private readonly IMetaAgentFactory _factory;
    private readonly int _maxDegreeOfParallelism;
    private MetaEnvironmentBatch? _batch;
    private IMetaAgent[] _agents = [];
    private int[]? _actions;
    private bool _observing;
    private ForkJoin? _forkJoin;
    private int _workers;

    public AgentPlayer(IMetaAgentFactory factory, int maxDegreeOfParallelism)
    {
        _factory = factory;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    public bool PadsPartialWaves => false;

    public void BeginWave(MetaEnvironmentBatch batch)
    {
        if (!ReferenceEquals(batch, _batch))
        {
            _batch = batch;
            _agents = new IMetaAgent[batch.SlotCount];
            _workers = Math.Min(batch.SlotCount, _maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : _maxDegreeOfParallelism);
            _forkJoin = _workers > 1 ? new ForkJoin(_workers, Range) : null;
        }
    }

    public void BeginMetaEpisode(int slot, RandomSource taskAgentRandom)
    {
        var agent = _factory.CreateAgent();
        agent.BeginMetaEpisode(_batch![slot], taskAgentRandom);
        _agents[slot] = agent;
    }

    public void Act(int[] actions) => Run(actions, observing: false);

    public void Observe(int[] actions) => Run(actions, observing: true);

    private void Run(int[] actions, bool observing)
    {
        (_actions, _observing) = (actions, observing);
        try
        {
            if (_forkJoin is null)
            {
                Range(0);
            }
            else
            {
                _forkJoin.Run();
            }
        }
        finally
        {
            _actions = null;
        }
    }

    private void Range(int worker)
    {
        var batch = _batch!;
        int workers = Math.Max(1, _workers);
        int first = (int)((long)_agents.Length * worker / workers);
        int end = (int)((long)_agents.Length * (worker + 1) / workers);
        for (int slot = first; slot < end; slot++)
        {
            var agent = _agents[slot];
            if (_observing)
            {
                agent.Observe(_actions![slot], batch.StepOf(slot), batch.ObservationOf(slot));
                continue;
            }

            int action = agent.Act(batch.ObservationOf(slot));
            if ((uint)action >= (uint)batch.ActionCount)
            {
                throw new InvalidOperationException($"Agent '{agent.Name}' chose action {action}; actions are in [0, {batch.ActionCount - 1}].");
            }

            _actions![slot] = action;
        }
    }
}
