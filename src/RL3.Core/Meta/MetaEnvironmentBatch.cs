using RL3.Core.Parallelism;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Meta;

/// <summary>
/// N meta-environments stepped together: all slots write into one preallocated <c>[N, obsDim]</c>
/// observation buffer, in parallel across cores. Every slot has its own random stream derived from one
/// seed, so results are bit-identical whatever the number of threads.
/// </summary>
public sealed class MetaEnvironmentBatch
{
    private readonly MetaEnvironment[] _slots;
    private readonly RandomSource[] _slotRandom;
    private readonly float[] _observations;
    private readonly double[] _rewards;
    private readonly bool[] _metaEpisodeEnded;
    private readonly bool[] _taskEpisodeEnded;
    private readonly bool[] _absorbed;
    private readonly ForkJoin? _forkJoin;
    private readonly int _workers;
    private int[]? _pendingActions;

    /// <summary>Creates a batch of <paramref name="slotCount"/> meta-environments made by <paramref name="factory"/>.</summary>
    /// <param name="slotCount">N (≥ 1).</param>
    /// <param name="factory">Creates the meta-environment of slot i (each slot needs its own estimator instance).</param>
    /// <param name="seed">Root seed of the slots' random streams (slot i uses stream i).</param>
    /// <param name="maxDegreeOfParallelism">Threads used by <see cref="Step"/>; −1 for all cores, 1 for sequential.</param>
    public MetaEnvironmentBatch(int slotCount, Func<int, MetaEnvironment> factory, ulong seed, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        ArgumentNullException.ThrowIfNull(factory);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "maxDegreeOfParallelism must be −1 (all cores) or at least 1.");
        }

        _slots = new MetaEnvironment[slotCount];
        _slotRandom = new RandomSource[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            var env = factory(i) ?? throw new ArgumentException($"factory returned null for slot {i}.", nameof(factory));
            if (i > 0 && (env.ObservationSize != _slots[0].ObservationSize || env.ActionCount != _slots[0].ActionCount || env.InteractionBudget != _slots[0].InteractionBudget))
            {
                throw new ArgumentException($"slot {i}'s observation size, action count or budget differs from slot 0's.", nameof(factory));
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(_slots[j], env))
                {
                    throw new ArgumentException($"factory returned the same MetaEnvironment for slots {j} and {i}; every slot needs its own.", nameof(factory));
                }
            }

            _slots[i] = env;
            _slotRandom[i] = RandomSource.Derive(seed, (ulong)i);
        }

        ObservationSize = _slots[0].ObservationSize;
        _observations = new float[slotCount * ObservationSize];
        _rewards = new double[slotCount];
        _metaEpisodeEnded = new bool[slotCount];
        _taskEpisodeEnded = new bool[slotCount];
        _absorbed = new bool[slotCount];
        _workers = Math.Min(slotCount, maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism);
        _forkJoin = _workers > 1 ? new ForkJoin(_workers, StepRange) : null;
    }

    /// <summary>Number of slots N (for the evaluation loop).</summary>
    internal int SlotCount => _slots.Length;

    /// <summary>Observation size of every slot.</summary>
    public int ObservationSize { get; }

    /// <summary>Number of actions A.</summary>
    public int ActionCount => _slots[0].ActionCount;

    /// <summary>The interaction budget H of every slot.</summary>
    public int InteractionBudget => _slots[0].InteractionBudget;

    /// <summary>The observation layout shared by all slots.</summary>
    public ObservationLayout Layout => _slots[0].Layout;

    /// <summary>The observations <c>[N, obsDim]</c>, row-major, as of the last reset or step.</summary>
    public ReadOnlySpan<float> Observations => _observations;

    /// <summary>Rewards of the last step, one per slot.</summary>
    public ReadOnlySpan<double> Rewards => _rewards;

    /// <summary>Per slot: whether the last step used up the interaction budget.</summary>
    public ReadOnlySpan<bool> MetaEpisodeEnded => _metaEpisodeEnded;

    /// <summary>Per slot: whether the last step ended a task episode.</summary>
    public ReadOnlySpan<bool> TaskEpisodeEnded => _taskEpisodeEnded;

    /// <summary>What the last step returned in one slot (reward, end flags, absorption).</summary>
    /// <param name="slot">The slot index.</param>
    /// <returns>The slot's last step.</returns>
    public MetaStep StepOf(int slot) => new(_rewards[slot], _metaEpisodeEnded[slot], _taskEpisodeEnded[slot], _absorbed[slot]);

    /// <summary>The meta-environment of one slot.</summary>
    /// <param name="slot">The slot index.</param>
    /// <returns>The slot's environment.</returns>
    public MetaEnvironment this[int slot] => _slots[slot];

    /// <summary>The observation row of one slot.</summary>
    /// <param name="slot">The slot index.</param>
    /// <returns>The slot's observation.</returns>
    public ReadOnlySpan<float> ObservationOf(int slot) => _observations.AsSpan(slot * ObservationSize, ObservationSize);

    /// <summary>The random stream of one slot (its task draws from it).</summary>
    /// <param name="slot">The slot index.</param>
    /// <returns>The stream.</returns>
    public RandomSource RandomOf(int slot) => _slotRandom[slot];

    /// <summary>Starts a new meta-episode in one slot.</summary>
    /// <param name="slot">The slot index.</param>
    /// <param name="task">The slot's task for this meta-episode.</param>
    /// <param name="taskIndex">The task's index in its split, named in fault messages; −1 (the default) when unknown.</param>
    public void Reset(int slot, ITask task, long taskIndex = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, _slots.Length);
        _slots[slot].Reset(task, _slotRandom[slot], _observations.AsSpan(slot * ObservationSize, ObservationSize), taskIndex);
        _rewards[slot] = 0;
        _metaEpisodeEnded[slot] = false;
        _taskEpisodeEnded[slot] = false;
        _absorbed[slot] = false;
    }

    /// <summary>Starts a new meta-episode in one slot with a caller-chosen random stream for the task (paired evaluation).</summary>
    /// <param name="slot">The slot index.</param>
    /// <param name="task">The slot's task for this meta-episode.</param>
    /// <param name="taskRandom">The random stream the task draws from during this meta-episode.</param>
    /// <param name="taskIndex">The task's index in its split, named in fault messages; −1 (the default) when unknown.</param>
    public void Reset(int slot, ITask task, RandomSource taskRandom, long taskIndex = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, _slots.Length);
        ArgumentNullException.ThrowIfNull(taskRandom);
        _slots[slot].Reset(task, taskRandom, _observations.AsSpan(slot * ObservationSize, ObservationSize), taskIndex);
        _rewards[slot] = 0;
        _metaEpisodeEnded[slot] = false;
        _taskEpisodeEnded[slot] = false;
        _absorbed[slot] = false;
    }

    /// <summary>Starts a new meta-episode in every slot, slot i on <paramref name="tasks"/>[i].</summary>
    /// <param name="tasks">One task per slot.</param>
    public void ResetAll(IReadOnlyList<ITask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count != _slots.Length)
        {
            throw new ArgumentException($"tasks must hold one task per slot ({_slots.Length}); held {tasks.Count}.", nameof(tasks));
        }

        for (int i = 0; i < _slots.Length; i++)
        {
            Reset(i, tasks[i]);
        }
    }

    /// <summary>Steps every slot with its action, in parallel, and writes the observations, rewards and flags.</summary>
    /// <param name="actions">One action per slot, each in [0, A).</param>
    /// <exception cref="ArgumentException">Wrong number of actions, an action out of range, or a slot that is not running (checked before any slot moves).</exception>
    public void Step(int[] actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Length != _slots.Length)
        {
            throw new ArgumentException($"actions must hold one action per slot ({_slots.Length}); held {actions.Length}.", nameof(actions));
        }

        int a = ActionCount;
        for (int i = 0; i < actions.Length; i++)
        {
            if ((uint)actions[i] >= (uint)a)
            {
                throw new ArgumentOutOfRangeException(nameof(actions), actions[i], $"actions[{i}] must be in [0, {a - 1}].");
            }

            if (_slots[i].CurrentTask is null || _slots[i].IsDone)
            {
                throw new InvalidOperationException($"Slot {i} is not running (never reset, or its meta-episode is over); reset it first.");
            }
        }

        _pendingActions = actions;
        try
        {
            if (_forkJoin is null)
            {
                StepRange(0);
            }
            else
            {
                // One contiguous range of slots per part: slots are independent, so the split cannot change results.
                // ForkJoin allocates nothing per step (Parallel.For allocated about 1.7 KB).
                _forkJoin.Run();
            }
        }
        finally
        {
            _pendingActions = null;
        }
    }

    /// <summary>Saves every slot's random-stream state (for checkpoints).</summary>
    /// <returns>One state per slot.</returns>
    public RandomSourceState[] GetRandomStates()
    {
        var states = new RandomSourceState[_slotRandom.Length];
        for (int i = 0; i < states.Length; i++)
        {
            states[i] = _slotRandom[i].GetState();
        }

        return states;
    }

    /// <summary>Restores the slots' random-stream states saved by <see cref="GetRandomStates"/>.</summary>
    /// <param name="states">One state per slot.</param>
    public void SetRandomStates(IReadOnlyList<RandomSourceState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count != _slotRandom.Length)
        {
            throw new ArgumentException($"states must hold one state per slot ({_slotRandom.Length}); held {states.Count}.", nameof(states));
        }

        for (int i = 0; i < states.Count; i++)
        {
            if ((states[i].S0 | states[i].S1 | states[i].S2 | states[i].S3) == 0)
            {
                throw new ArgumentException($"states[{i}] is all zeros (not a valid generator state).", nameof(states));
            }
        }

        for (int i = 0; i < states.Count; i++)
        {
            _slotRandom[i].SetState(states[i]);
        }
    }

    private void StepRange(int worker)
    {
        int workers = Math.Max(1, _workers);
        int first = (int)((long)_slots.Length * worker / workers);
        int end = (int)((long)_slots.Length * (worker + 1) / workers);
        for (int i = first; i < end; i++)
        {
            StepSlot(i);
        }
    }

    private void StepSlot(int i)
    {
        var step = _slots[i].Step(_pendingActions![i], _observations.AsSpan(i * ObservationSize, ObservationSize));
        _rewards[i] = step.Reward;
        _metaEpisodeEnded[i] = step.MetaEpisodeEnded;
        _taskEpisodeEnded[i] = step.TaskEpisodeEnded;
        _absorbed[i] = step.Absorbed;
    }
}
