using System.Globalization;
using RL3.Core.Randomness;

namespace RL3.Core.Tasks;

/// <summary>
/// Checks that an <see cref="ITaskDistribution"/> (a user's own or a built-in one) honours the task contract, and
/// reports every check's outcome instead of throwing.
/// </summary>
/// <remarks>
/// Trajectories take uniformly random actions and reset the task as a meta-environment would: after an episode
/// ends, or after <see cref="ITaskDistribution.TaskHorizon"/> steps when that is positive. Checks:
/// <list type="bullet">
/// <item><see cref="SpacesCheck"/>: positive action and observation sizes, non-negative state count and horizon,
/// and sampled tasks agree with the distribution.</item>
/// <item><see cref="DeterminismCheck"/>: the same seeds (task, environment stream, actions) give identical
/// observations, rewards, flags and state indices.</item>
/// <item><see cref="ObservationCheck"/>, <see cref="RewardCheck"/>: every value is finite.</item>
/// <item><see cref="StateIndexCheck"/>: the state index lies in [0, StateCount), or is −1 when StateCount is 0.</item>
/// <item><see cref="EpisodeEndCheck"/>: for tasks implementing <see cref="ITabularMdp"/>, a step reports
/// <see cref="TaskStep.Terminated"/> exactly when it enters an absorbing state.</item>
/// <item><see cref="ActionBoundsCheck"/>: actions −1 and A throw <see cref="ArgumentOutOfRangeException"/> and change
/// nothing (neither the observation buffer nor the rest of the trajectory).</item>
/// <item><see cref="LifecycleCheck"/>: stepping before the first reset and after an episode ended throw
/// <see cref="InvalidOperationException"/>; resetting starts a new episode.</item>
/// <item><see cref="IndependenceCheck"/>: interleaving the steps of two tasks gives the same trajectories as running
/// each alone (no hidden shared randomness or state).</item>
/// <item><see cref="TabularMdpCheck"/>: for tasks implementing <see cref="ITabularMdp"/>, each T(·|s,a) is a
/// probability distribution and every expected reward is finite.</item>
/// </list>
/// </remarks>
public static class TaskChecker
{
    /// <summary>Name of the spaces check.</summary>
    public const string SpacesCheck = "spaces";

    /// <summary>Name of the determinism check.</summary>
    public const string DeterminismCheck = "determinism";

    /// <summary>Name of the observation finiteness check.</summary>
    public const string ObservationCheck = "observations";

    /// <summary>Name of the reward finiteness check.</summary>
    public const string RewardCheck = "rewards";

    /// <summary>Name of the state-index range check.</summary>
    public const string StateIndexCheck = "state-index";

    /// <summary>Name of the terminated/truncated sanity check.</summary>
    public const string EpisodeEndCheck = "episode-ends";

    /// <summary>Name of the action-bounds check.</summary>
    public const string ActionBoundsCheck = "action-bounds";

    /// <summary>Name of the reset/step lifecycle check.</summary>
    public const string LifecycleCheck = "lifecycle";

    /// <summary>Name of the independence (no shared randomness) check.</summary>
    public const string IndependenceCheck = "independence";

    /// <summary>Name of the tabular-MDP consistency check.</summary>
    public const string TabularMdpCheck = "tabular-mdp";

    /// <summary>Runs every check on <paramref name="distribution"/>.</summary>
    /// <param name="distribution">The distribution to check.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <returns>The report (never throws because a check fails).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="distribution"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static CheckReport Check(ITaskDistribution distribution, TaskCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        options ??= new TaskCheckOptions();
        Guard.AtLeast(options.StepsPerRun, 1, "options.StepsPerRun");
        Guard.AtLeast(options.MaxEpisodeSteps, 1, "options.MaxEpisodeSteps");
        Guard.AtLeast(options.MaxTabularStates, 0, "options.MaxTabularStates");

        var context = new Context(distribution, options);
        var results = new List<CheckResult>
        {
            CheckResult.Run(SpacesCheck, context.CheckSpaces),
            CheckResult.Run(DeterminismCheck, context.CheckDeterminism),
            CheckResult.Run(ActionBoundsCheck, context.CheckActionBounds),
            CheckResult.Run(LifecycleCheck, context.CheckLifecycle),
            CheckResult.Run(IndependenceCheck, context.CheckIndependence),
            CheckResult.Run(TabularMdpCheck, context.CheckTabular),
        };
        results.Insert(2, context.Problems.Result(ObservationCheck, context.Problems.Observation, "every observation is finite"));
        results.Insert(3, context.Problems.Result(RewardCheck, context.Problems.Reward, "every reward is finite"));
        results.Insert(4, context.Problems.Result(StateIndexCheck, context.Problems.StateIndex, "every state index is in range"));
        results.Insert(5, context.Problems.Result(EpisodeEndCheck, context.Problems.EpisodeEnd, "terminations agree with the task's absorbing states"));
        return new CheckReport("Task", distribution.Name, results.AsReadOnly());
    }


    private static bool SameTrace(List<double> a, List<double> b, out string message)
    {
        int n = Math.Min(a.Count, b.Count);
        for (int i = 0; i < n; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                message = string.Create(CultureInfo.InvariantCulture, $"trajectories differ at record {i} ({a[i]} vs {b[i]})");
                return false;
            }
        }

        if (a.Count != b.Count)
        {
            message = string.Create(CultureInfo.InvariantCulture, $"trajectories have different lengths ({a.Count} vs {b.Count})");
            return false;
        }

        message = string.Empty;
        return true;
    }


    /// <summary>First problem seen per category, across every trajectory the checks run.</summary>
    private sealed class Problems
    {
        public string? Observation { get; set; }

        public string? Reward { get; set; }

        public string? StateIndex { get; set; }

        public string? EpisodeEnd { get; set; }

        public long StepsSeen { get; set; }

        public CheckResult Result(string name, string? problem, string success) =>
            problem is not null
                ? new CheckResult(name, false, problem)
                : StepsSeen == 0
                    ? new CheckResult(name, false, "no step could be taken (see the other checks)")
                    : new CheckResult(name, true, string.Create(CultureInfo.InvariantCulture, $"{success} ({StepsSeen} steps)"));
    }

    /// <summary>One task driven by uniformly random actions, recording its trajectory.</summary>
    private sealed class Runner
    {
        private readonly ITaskDistribution _distribution;
        private readonly RandomSource _env;
        private readonly RandomSource _actions;
        private readonly Problems _problems;
        private int _tau;

        public Runner(ITaskDistribution distribution, ITask task, ulong envSeed, ulong actionSeed, Problems problems)
        {
            _distribution = distribution;
            Task = task;
            _env = new RandomSource(envSeed);
            _actions = new RandomSource(actionSeed);
            _problems = problems;
            Observation = new float[distribution.ObservationSize];
        }

        public ITask Task { get; }

        public float[] Observation { get; }

        public List<double> Trace { get; } = [];

        public bool NeedsReset { get; private set; } = true;

        public void EnsureReset()
        {
            if (NeedsReset)
            {
                Task.Reset(_env, Observation);
                _tau = 0;
                NeedsReset = false;
                Record(double.NaN, default, -1);
            }
        }

        public void StepOnce()
        {
            EnsureReset();
            int action = _actions.NextInt(_distribution.ActionCount);
            var step = Task.Step(action, Observation);
            _tau++;
            _problems.StepsSeen++;
            Record(step.Reward, step, action);
            if (!double.IsFinite(step.Reward))
            {
                _problems.Reward ??= string.Create(CultureInfo.InvariantCulture, $"reward {step.Reward} after action {action}");
            }

            if (Task is ITabularMdp mdp && _problems.EpisodeEnd is null)
            {
                int s = mdp.CurrentMdpState;
                bool absorbing = mdp.IsAbsorbing(s);
                if (absorbing != step.Terminated)
                {
                    _problems.EpisodeEnd = string.Create(CultureInfo.InvariantCulture,
                        $"step entered MDP state {s} (absorbing: {absorbing}) but reported Terminated = {step.Terminated}");
                }
            }

            if (step.EpisodeEnded || (_distribution.TaskHorizon > 0 && _tau >= _distribution.TaskHorizon))
            {
                NeedsReset = true;
            }
        }

        public void Run(int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                StepOnce();
            }
        }

        private void Record(double reward, TaskStep step, int action)
        {
            Trace.Add(action);
            Trace.Add(reward);
            Trace.Add(step.Terminated ? 1 : 0);
            Trace.Add(step.Truncated ? 1 : 0);
            int index = Task.StateIndex;
            Trace.Add(index);
            foreach (float x in Observation)
            {
                Trace.Add(x);
                if (!float.IsFinite(x))
                {
                    _problems.Observation ??= string.Create(CultureInfo.InvariantCulture, $"observation value {x} (action {action})");
                }
            }

            int count = _distribution.StateCount;
            if (count > 0 ? (uint)index >= (uint)count : index != -1)
            {
                _problems.StateIndex ??= count > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"state index {index} outside [0, {count})")
                    : string.Create(CultureInfo.InvariantCulture, $"state index {index} but StateCount is 0 (continuous observations need −1)");
            }
        }
    }

    private sealed class Context(ITaskDistribution distribution, TaskCheckOptions options)
    {
        private readonly ulong _taskSeedA = RandomSource.DeriveSeed(options.Seed, 1);
        private readonly ulong _taskSeedB = RandomSource.DeriveSeed(options.Seed, 2);
        private readonly ulong _envSeedA = RandomSource.DeriveSeed(options.Seed, 3);
        private readonly ulong _envSeedB = RandomSource.DeriveSeed(options.Seed, 4);
        private readonly ulong _actionSeedA = RandomSource.DeriveSeed(options.Seed, 5);
        private readonly ulong _actionSeedB = RandomSource.DeriveSeed(options.Seed, 6);
        private List<double>? _referenceA;

        public Problems Problems { get; } = new();

        public string CheckSpaces()
        {
            if (distribution.ActionCount < 1 || distribution.ObservationSize < 1 || distribution.StateCount < 0 || distribution.TaskHorizon < 0)
            {
                Fail($"distribution reports ActionCount {distribution.ActionCount} (≥ 1), ObservationSize {distribution.ObservationSize} (≥ 1), " +
                     $"StateCount {distribution.StateCount} (≥ 0), TaskHorizon {distribution.TaskHorizon} (≥ 0)");
            }

            var task = SampleA();
            if (task.ActionCount != distribution.ActionCount || task.ObservationSize != distribution.ObservationSize)
            {
                Fail($"task reports ActionCount {task.ActionCount} and ObservationSize {task.ObservationSize}; " +
                     $"the distribution reports {distribution.ActionCount} and {distribution.ObservationSize}");
            }

            return Invariant($"A = {distribution.ActionCount}, observation size {distribution.ObservationSize}, S = {distribution.StateCount}, TH = {distribution.TaskHorizon}");
        }

        public string CheckDeterminism()
        {
            var first = RunA();
            var second = RunA();
            if (!SameTrace(first, second, out string message))
            {
                Fail($"the same seeds gave different trajectories: {message}");
            }

            return Invariant($"two runs of {options.StepsPerRun} steps under the same seeds are identical");
        }

        public string CheckActionBounds()
        {
            var reference = ReferenceA();
            var runner = new Runner(distribution, SampleA(), _envSeedA, _actionSeedA, Problems);
            int half = options.StepsPerRun / 2;
            for (int i = 0; i < options.StepsPerRun; i++)
            {
                if (i == 0 || i == half)
                {
                    runner.EnsureReset();
                    TryBadAction(runner, -1);
                    TryBadAction(runner, distribution.ActionCount);
                }

                runner.StepOnce();
            }

            if (!SameTrace(reference, runner.Trace, out string message))
            {
                Fail($"out-of-range actions changed the task's state: {message}");
            }

            return "actions −1 and A throw ArgumentOutOfRangeException and change nothing";
        }

        public string CheckLifecycle()
        {
            var task = SampleA();
            var observation = new float[distribution.ObservationSize];
            ExpectInvalidOperation(() => task.Step(0, observation), "Step before the first Reset");
            var env = new RandomSource(_envSeedA);
            var actions = new RandomSource(_actionSeedA);
            task.Reset(env, observation);
            for (int i = 1; i <= options.MaxEpisodeSteps; i++)
            {
                if (task.Step(actions.NextInt(distribution.ActionCount), observation).EpisodeEnded)
                {
                    ExpectInvalidOperation(() => task.Step(0, observation), "Step after the episode ended");
                    task.Reset(env, observation);
                    task.Step(0, observation);
                    return Invariant($"Step before Reset and after the episode ended (step {i}) throw; Reset starts a new episode");
                }
            }

            return Invariant($"Step before Reset throws; no episode ended within {options.MaxEpisodeSteps} random steps, so stepping after the end was not exercised");
        }

        public string CheckIndependence()
        {
            var aloneA = ReferenceA();
            var runnerB = new Runner(distribution, distribution.Sample(new RandomSource(_taskSeedB)), _envSeedB, _actionSeedB, Problems);
            runnerB.Run(options.StepsPerRun);

            var a = new Runner(distribution, SampleA(), _envSeedA, _actionSeedA, Problems);
            var b = new Runner(distribution, distribution.Sample(new RandomSource(_taskSeedB)), _envSeedB, _actionSeedB, Problems);
            for (int i = 0; i < options.StepsPerRun; i++)
            {
                a.StepOnce();
                b.StepOnce();
            }

            if (!SameTrace(aloneA, a.Trace, out string message) || !SameTrace(runnerB.Trace, b.Trace, out message))
            {
                Fail($"interleaving two tasks changed their trajectories (hidden shared randomness or state?): {message}");
            }

            return "interleaved trajectories equal the trajectories run alone";
        }

        public string CheckTabular()
        {
            if (SampleA() is not ITabularMdp mdp)
            {
                return "the task does not implement ITabularMdp (skipped)";
            }

            int s = mdp.MdpStateCount, actions = mdp.MdpActionCount;
            if (s < 1 || actions != distribution.ActionCount)
            {
                Fail($"MdpStateCount {s} (≥ 1) and MdpActionCount {actions} (must equal ActionCount {distribution.ActionCount})");
            }

            if ((uint)mdp.CurrentMdpState >= (uint)s)
            {
                Fail($"CurrentMdpState {mdp.CurrentMdpState} outside [0, {s})");
            }

            if (s > options.MaxTabularStates)
            {
                return Invariant($"{s} states exceed MaxTabularStates; transition rows not verified");
            }

            var row = new double[s];
            for (int state = 0; state < s; state++)
            {
                for (int a = 0; a < actions; a++)
                {
                    mdp.GetTransitionProbabilities(state, a, row);
                    double sum = 0;
                    for (int next = 0; next < s; next++)
                    {
                        double p = row[next];
                        if (!(p >= 0 && p <= 1))
                        {
                            Fail($"T({next}|{state},{a}) = {p} is not a probability");
                        }

                        sum += p;
                        if (p > 0 && !double.IsFinite(mdp.ExpectedReward(state, a, next)))
                        {
                            Fail($"R({state},{a},{next}) = {mdp.ExpectedReward(state, a, next)} is not finite");
                        }
                    }

                    if (Math.Abs(sum - 1) > 1e-9)
                    {
                        Fail($"T(·|{state},{a}) sums to {sum}, not 1");
                    }
                }
            }

            return Invariant($"{s}·{actions} transition rows are distributions with finite rewards");
        }

        private ITask SampleA() => distribution.Sample(new RandomSource(_taskSeedA));

        private List<double> RunA()
        {
            var runner = new Runner(distribution, SampleA(), _envSeedA, _actionSeedA, Problems);
            runner.Run(options.StepsPerRun);
            return runner.Trace;
        }

        private List<double> ReferenceA() => _referenceA ??= RunA();

        private static void TryBadAction(Runner runner, int action)
        {
            var before = (float[])runner.Observation.Clone();
            try
            {
                runner.Task.Step(action, runner.Observation);
            }
            catch (ArgumentOutOfRangeException)
            {
                if (!before.AsSpan().SequenceEqual(runner.Observation))
                {
                    Fail($"action {action} threw but overwrote the observation buffer");
                }

                return;
            }

            Fail($"action {action} did not throw ArgumentOutOfRangeException");
        }

        private static void ExpectInvalidOperation(Action step, string what)
        {
            try
            {
                step();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            Fail($"{what} did not throw InvalidOperationException");
        }

        private static void Fail(string message) => CheckResult.Fail(message);

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
