using System.Globalization;
using RL3.Core.Inner;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Meta;

/// <summary>
/// The meta-MDP of one meta-episode (docs/method.md §1–2): one task, an interaction budget of H steps, task
/// episodes that reset on absorption or after the task horizon, and — for RL³ — an inner RL estimator that
/// learns from the agent's own transitions and whose estimates are appended to the observation.
/// </summary>
/// <remarks>
/// <para>
/// Counters: <c>t</c> counts steps in the meta-episode (0 after <see cref="Reset"/>), <c>tau</c> steps in the
/// current task episode. After an episode-ending step the task is reset at once, so the observation shows
/// the new start state, never the terminal one; only <c>tau</c> returns to 0 (the new-meta-episode flag is
/// raised only at <c>t = 0</c>).
/// </para>
/// <para>
/// With an estimator, every step feeds the transition (s, a, r, s', absorbing, episode start) to it, with
/// states mapped to rows by the <see cref="IStateIndexer"/>, and the observation carries the estimator's
/// current estimates for the state the agent is now in. <see cref="Step"/> allocates nothing.
/// </para>
/// <para>
/// Task faults are caught where the task hands its results over, with messages that name the task (its index when
/// the caller passed one to <see cref="Reset"/>), the action, and the offending value: a NaN or infinite reward, a NaN
/// or infinite element of the task's observation (and which element), and a task that indexes past the observation
/// span it was given (<see cref="ITaskDistribution.ObservationSize"/> elements). All are
/// <see cref="InvalidOperationException"/>s; the last carries the task's <see cref="IndexOutOfRangeException"/> as
/// its inner exception.
/// </para>
/// </remarks>
public sealed class MetaEnvironment
{
    private readonly int _budget;
    private readonly int _taskHorizon;
    private readonly int _actionCount;
    private readonly double _valueScale;
    private readonly double _visitCountScale;
    private readonly IInnerRLEstimator? _estimator;
    private readonly IStateIndexer? _indexer;
    private readonly float[] _taskObservation;
    private readonly double[] _q;
    private readonly double[] _seQ;
    private readonly double[] _visits;

    private ITask? _task;
    private RandomSource? _random;
    private int _t;
    private int _tau;
    private int _previousAction = -1;
    private double _previousReward;
    private int _row = -1;
    private bool _atEpisodeStart;
    private int _lastReachedStateIndex = -1;
    private long _taskIndex = -1;

    /// <summary>Creates an RL² meta-environment (no inner estimator) or an RL³ one (with estimator and state indexer).</summary>
    /// <param name="distribution">The task family: spaces and task horizon.</param>
    /// <param name="options">H, the value scale c and the visit-count scale; copied and validated.</param>
    /// <param name="estimator">The inner RL estimator (RL³), or null for RL².</param>
    /// <param name="indexer">Maps task states to estimator rows; required with an estimator.</param>
    /// <exception cref="ArgumentException">Spaces of the estimator and distribution disagree, or an indexer is missing.</exception>
    public MetaEnvironment(ITaskDistribution distribution, MetaEnvironmentOptions options, IInnerRLEstimator? estimator = null, IStateIndexer? indexer = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (distribution.ActionCount < 1)
        {
            throw new ArgumentException($"distribution.ActionCount must be at least 1 (was {distribution.ActionCount}).", nameof(distribution));
        }

        if (distribution.TaskHorizon < 0)
        {
            throw new ArgumentException($"distribution.TaskHorizon must be ≥ 0, 0 meaning unbounded (was {distribution.TaskHorizon}).", nameof(distribution));
        }

        if (estimator is not null)
        {
            if (indexer is null)
            {
                throw new ArgumentException("An inner estimator needs a state indexer (direct indexing for discrete tasks, exact match or clustering for continuous ones).", nameof(indexer));
            }

            if (estimator.ActionCount != distribution.ActionCount)
            {
                throw new ArgumentException($"estimator.ActionCount ({estimator.ActionCount}) must equal distribution.ActionCount ({distribution.ActionCount}).", nameof(estimator));
            }

            if (indexer.Capacity > estimator.StateCapacity)
            {
                throw new ArgumentException($"indexer.Capacity ({indexer.Capacity}) must not exceed estimator.StateCapacity ({estimator.StateCapacity}).", nameof(indexer));
            }
        }

        Distribution = distribution;
        _budget = options.InteractionBudget;
        _taskHorizon = distribution.TaskHorizon;
        _actionCount = distribution.ActionCount;
        _valueScale = options.ValueScale;
        _visitCountScale = options.VisitCountScale;
        _estimator = estimator;
        _indexer = estimator is null ? null : indexer;
        Layout = new ObservationLayout(_actionCount, distribution.ObservationSize, estimator is not null);
        _taskObservation = new float[distribution.ObservationSize];
        _q = new double[_actionCount];
        _seQ = new double[_actionCount];
        _visits = new double[_actionCount];
    }

    /// <summary>The task family.</summary>
    public ITaskDistribution Distribution { get; }

    /// <summary>The observation layout (RL³ when an estimator is present).</summary>
    public ObservationLayout Layout { get; }

    /// <summary>Observation size.</summary>
    public int ObservationSize => Layout.Size;

    /// <summary>Number of actions A.</summary>
    public int ActionCount => _actionCount;

    /// <summary>The interaction budget H.</summary>
    public int InteractionBudget => _budget;

    /// <summary>The inner estimator, or null for RL².</summary>
    public IInnerRLEstimator? Estimator => _estimator;

    /// <summary>The task of the current meta-episode, or null before the first <see cref="Reset"/>.</summary>
    public ITask? CurrentTask => _task;

    /// <summary>The index of the current task as passed to <see cref="Reset"/> (its index in its split), or −1 when none was given.</summary>
    /// <remarks>Only used to name the task in fault messages.</remarks>
    public long TaskIndex => _taskIndex;

    /// <summary>Steps taken in this meta-episode (t).</summary>
    public int StepCount => _t;

    /// <summary>Steps taken in the current task episode (tau).</summary>
    public int TaskEpisodeStepCount => _tau;

    /// <summary>Whether the meta-episode has used up its budget (no more steps until the next reset).</summary>
    public bool IsDone => _task is not null && _t >= _budget;

    /// <summary>Estimator row of the state the agent is in now (−1 for RL²).</summary>
    public int CurrentRow => _row;

    /// <summary>
    /// The task's <see cref="ITask.StateIndex"/> right after the last <see cref="Step"/> and before any task-episode
    /// reset: the s' of the last transition (the terminal state when the episode ended). −1 before the first step
    /// of a meta-episode, or for tasks with continuous observations.
    /// </summary>
    /// <remarks>Agents that learn a transition model (PSRL) read it, because the observation after an
    /// episode-ending step already shows the new start state.</remarks>
    public int LastReachedStateIndex => _lastReachedStateIndex;

    /// <summary>Starts a meta-episode on <paramref name="task"/> and writes the first observation.</summary>
    /// <param name="task">The task (one MDP) of this meta-episode.</param>
    /// <param name="random">The random stream the task draws from during the meta-episode.</param>
    /// <param name="observation">Receives the observation; length <see cref="ObservationSize"/>.</param>
    /// <param name="taskIndex">The task's index in its split (≥ 0), named in fault messages; −1 (the default) when unknown.</param>
    /// <exception cref="InvalidOperationException">The task wrote a NaN or infinite observation element, or indexed past its observation span.</exception>
    public void Reset(ITask task, RandomSource random, Span<float> observation, long taskIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskIndex, -1);
        if (task.ActionCount != _actionCount || task.ObservationSize != _taskObservation.Length)
        {
            throw new ArgumentException($"task spaces (A={task.ActionCount}, m={task.ObservationSize}) must match the distribution's (A={_actionCount}, m={_taskObservation.Length}).", nameof(task));
        }

        CheckObservationLength(observation);

        _task = task;
        _random = random;
        _taskIndex = taskIndex;
        ResetTask(-1);
        if (_estimator is not null)
        {
            _indexer!.Reset();
            _estimator.Reset(_indexer.FixedStateCount);
            _row = _indexer.GetOrAdd(task.StateIndex, _taskObservation);
        }

        _t = 0;
        _tau = 0;
        _previousAction = -1;
        _previousReward = 0;
        _atEpisodeStart = true;
        _lastReachedStateIndex = -1;
        WriteObservation(observation);
    }

    /// <summary>Takes action <paramref name="action"/> in the task, updates the inner estimator and writes the next observation.</summary>
    /// <param name="action">The action, in [0, A).</param>
    /// <param name="observation">Receives the next observation; length <see cref="ObservationSize"/>.</param>
    /// <returns>The reward and the episode flags.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The action is out of range (nothing changes).</exception>
    /// <exception cref="ArgumentException">The observation span has the wrong length (nothing changes).</exception>
    /// <exception cref="InvalidOperationException">
    /// Not reset, or the meta-episode is over (nothing changes); or the task returned a non-finite reward, wrote a
    /// non-finite observation element or indexed past its observation span (the counters do not move).
    /// </exception>
    public MetaStep Step(int action, Span<float> observation)
    {
        if (_task is null)
        {
            throw new InvalidOperationException("Call Reset before Step.");
        }

        if (_t >= _budget)
        {
            throw new InvalidOperationException($"The meta-episode is over: all H = {_budget} steps were taken. Call Reset to start a new one.");
        }

        if ((uint)action >= (uint)_actionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in [0, {_actionCount - 1}].");
        }

        CheckObservationLength(observation);

        TaskStep step;
        try
        {
            step = _task.Step(action, _taskObservation);
        }
        catch (IndexOutOfRangeException e)
        {
            throw ObservationOverrun(e, action);
        }

        double reward = step.Reward;
        if (!double.IsFinite(reward))
        {
            ThrowNonFiniteReward(reward, action);
        }

        CheckTaskObservation(action);

        _t++;
        _tau++;
        _lastReachedStateIndex = _task.StateIndex;
        bool episodeEnded = step.Terminated || step.Truncated || (_taskHorizon > 0 && _tau >= _taskHorizon);

        if (_estimator is not null)
        {
            int nextRow = _indexer!.GetOrAdd(_task.StateIndex, _taskObservation);
            _estimator.Observe(new InnerTransition(_row, action, reward, nextRow, step.Terminated, _atEpisodeStart));
            _row = nextRow;
        }

        if (episodeEnded)
        {
            ResetTask(action);
            _tau = 0;
            _atEpisodeStart = true;
            if (_estimator is not null)
            {
                _row = _indexer!.GetOrAdd(_task.StateIndex, _taskObservation);
            }
        }
        else
        {
            _atEpisodeStart = false;
        }

        _previousAction = action;
        _previousReward = reward;
        WriteObservation(observation);
        return new MetaStep(reward, _t >= _budget, episodeEnded, step.Terminated);
    }

    private void WriteObservation(Span<float> observation)
    {
        int a = _actionCount;
        observation.Clear();
        if (_previousAction >= 0)
        {
            observation[_previousAction] = 1f;
        }

        observation[a] = (float)_previousReward;
        observation[a + 1] = _t == 0 ? 1f : 0f;
        observation[a + 2] = (float)((double)_t / _budget);
        observation[a + 3] = _taskHorizon > 0 ? (float)((double)_tau / _taskHorizon) : 0f;
        int offset = a + 4;
        _taskObservation.AsSpan().CopyTo(observation.Slice(offset));
        offset += _taskObservation.Length;

        if (_estimator is null)
        {
            return;
        }

        var value = _estimator.Estimate(_row, _q, _seQ, _visits);
        double inverseScale = 1.0 / _valueScale;
        for (int i = 0; i < a; i++)
        {
            observation[offset + i] = (float)((_q[i] - value.Value) * inverseScale);
        }

        offset += a;
        observation[offset++] = (float)(value.Value * inverseScale);
        for (int i = 0; i < a; i++)
        {
            observation[offset + i] = (float)(_seQ[i] * inverseScale);
        }

        offset += a;
        observation[offset++] = (float)(value.StandardError * inverseScale);
        double inverseVisits = 1.0 / _visitCountScale;
        for (int i = 0; i < a; i++)
        {
            observation[offset + i] = (float)(_visits[i] * inverseVisits);
        }
    }

    /// <summary>Resets the task into <see cref="_taskObservation"/> and checks what it wrote.</summary>
    /// <param name="action">The action whose step ended the episode, or −1 at the start of a meta-episode.</param>
    private void ResetTask(int action)
    {
        try
        {
            _task!.Reset(_random!, _taskObservation);
        }
        catch (IndexOutOfRangeException e)
        {
            throw ObservationOverrun(e, action, reset: true);
        }

        CheckTaskObservation(action, reset: true);
    }

    private void CheckTaskObservation(int action, bool reset = false)
    {
        int index = FiniteValues.IndexOfNonFinite(_taskObservation);
        if (index >= 0)
        {
            ThrowNonFiniteObservation(index, action, reset);
        }
    }

    private string TaskName() =>
        _taskIndex >= 0 ? $"Task {_taskIndex} ({_task!.GetType().Name})" : $"The task ({_task!.GetType().Name})";

    private static string Call(int action, bool reset) =>
        reset ? action < 0 ? "Reset at the start of the meta-episode" : $"Reset after action {action} ended its episode" : $"Step(action {action})";

    private void ThrowNonFiniteReward(double reward, int action) =>
        throw new InvalidOperationException($"{TaskName()} returned a non-finite reward ({reward.ToString(CultureInfo.InvariantCulture)}) for action {action}; rewards must be finite.");

    private void ThrowNonFiniteObservation(int index, int action, bool reset) =>
        throw new InvalidOperationException(
            $"{TaskName()} wrote a non-finite observation in {Call(action, reset)}: element {index} of its {_taskObservation.Length}-element " +
            $"observation is {_taskObservation[index].ToString(CultureInfo.InvariantCulture)}. Observations must be finite: the policy and the inner estimator read them.");

    private InvalidOperationException ObservationOverrun(IndexOutOfRangeException inner, int action, bool reset = false) =>
        new($"{TaskName()} indexed out of range in {Call(action, reset)}. The observation span it was given has " +
            $"{_taskObservation.Length} elements (ITaskDistribution.ObservationSize); a task that writes past it fails this way. " +
            "Make ObservationSize cover every element the task writes.", inner);

    private void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != Layout.Size)
        {
            ThrowObservationLength(observation.Length);
        }
    }

    private void ThrowObservationLength(int length) =>
        throw new ArgumentException($"observation must have length {Layout.Size} (the layout size); was {length}.", "observation");
}
