using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Tasks;

public sealed class TaskCheckerTests
{
    private static IEnumerable<string> CatalogNames() => TaskCatalog.Names;

    [TestCaseSource(nameof(CatalogNames))]
    public void Check_BuiltInDistribution_AllPass(string name)
    {
        var report = TaskChecker.Check(TaskCatalog.Create(name), new TaskCheckOptions { StepsPerRun = 200, MaxEpisodeSteps = 5000 });
        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Results, Has.Count.EqualTo(10));
        Assert.That(report.Subject, Is.EqualTo(name));
    }

    [Test]
    public void Check_SharedStaticRandom_FailsDeterminismAndIndependenceWithoutThrowing()
    {
        var report = TaskChecker.Check(new BrokenDistribution(BrokenDistribution.Flaw.SharedStaticRandom));
        Assert.That(report.Passed, Is.False);
        Assert.That(report[TaskChecker.DeterminismCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.IndependenceCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.SpacesCheck].Passed, Is.True);
        Assert.That(report.ToString(), Does.Contain("FAIL"));
    }

    [Test]
    public void Check_SharedInstanceState_FailsIndependence()
    {
        var report = TaskChecker.Check(new BrokenDistribution(BrokenDistribution.Flaw.SharedCounter));
        Assert.That(report[TaskChecker.IndependenceCheck].Passed, Is.False, report.ToString());
    }

    [Test]
    public void Check_UnvalidatedActionsAndNoEndGuard_FailActionBoundsAndLifecycle()
    {
        var report = TaskChecker.Check(new BrokenDistribution(BrokenDistribution.Flaw.NoGuards));
        Assert.That(report[TaskChecker.ActionBoundsCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.LifecycleCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.DeterminismCheck].Passed, Is.True, report.ToString());
    }

    [Test]
    public void Check_NaNRewardAndBadStateIndex_FailThoseChecks()
    {
        var report = TaskChecker.Check(new BrokenDistribution(BrokenDistribution.Flaw.NaNRewardBadIndex));
        Assert.That(report[TaskChecker.RewardCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.StateIndexCheck].Passed, Is.False);
        Assert.That(report[TaskChecker.ObservationCheck].Passed, Is.True, report.ToString());
    }

    [Test]
    public void Check_SampleThrows_ReportsFailuresInsteadOfThrowing()
    {
        var report = TaskChecker.Check(new BrokenDistribution(BrokenDistribution.Flaw.SampleThrows));
        Assert.That(report.Passed, Is.False);
        Assert.That(report.Results.Count(r => !r.Passed), Is.EqualTo(10));
        Assert.That(report[TaskChecker.DeterminismCheck].Message, Does.Contain("NotSupportedException"));
    }

    [Test]
    public void Check_BadOptions_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => TaskChecker.Check(null!));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TaskChecker.Check(TaskCatalog.Create("bandits-k5"), new TaskCheckOptions { StepsPerRun = 0 }));
        Assert.That(e!.ParamName, Is.EqualTo("options.StepsPerRun"));
    }

    [Test]
    public void Indexer_UnknownCheck_Throws()
    {
        var report = new CheckReport("Task", "x", [new CheckResult("a", true, "ok")]);
        Assert.That(report["a"].Passed, Is.True);
        Assert.Throws<KeyNotFoundException>(() => _ = report["b"]);
    }

    /// <summary>A user distribution with one deliberate contract violation: a 3-state chain, 2 actions, TH 5.</summary>
    private sealed class BrokenDistribution(BrokenDistribution.Flaw flaw) : ITaskDistribution
    {
        private static readonly Random SharedRandom = new(1234);
        private int _sharedCounter;

        public Flaw Kind { get; } = flaw;

        public enum Flaw
        {
            SharedStaticRandom,
            SharedCounter,
            NoGuards,
            NaNRewardBadIndex,
            SampleThrows,
        }

        public string Name => $"broken-{Kind}";

        public int ActionCount => 2;

        public int ObservationSize => 3;

        public int StateCount => 3;

        public int TaskHorizon => 5;

        public ITask Sample(RandomSource random)
        {
            if (Kind == Flaw.SampleThrows)
            {
                throw new NotSupportedException("cannot sample");
            }

            return new ChainTask(this, random.NextDouble());
        }

        private sealed class ChainTask(BrokenDistribution owner, double bias) : ITask
        {
            private RandomSource? _random;
            private int _state;
            private int _tau;
            private bool _started;
            private bool _ended;

            public int ActionCount => 2;

            public int ObservationSize => 3;

            public int StateIndex => owner.Kind == Flaw.NaNRewardBadIndex ? _state + 3 : _state;

            public void Reset(RandomSource random, Span<float> observation)
            {
                _random = random;
                _state = 0;
                _tau = 0;
                _started = true;
                _ended = false;
                Write(observation);
            }

            public TaskStep Step(int action, Span<float> observation)
            {
                if (owner.Kind != Flaw.NoGuards)
                {
                    ArgumentOutOfRangeException.ThrowIfNegative(action);
                    ArgumentOutOfRangeException.ThrowIfGreaterThan(action, 1);
                    if (!_started || _ended)
                    {
                        throw new InvalidOperationException("reset first");
                    }
                }

                double u = owner.Kind switch
                {
                    Flaw.SharedStaticRandom => SharedRandom.NextDouble(),
                    _ => _random!.NextDouble(),
                };
                if (owner.Kind == Flaw.SharedCounter)
                {
                    u = (u + (owner._sharedCounter++ * 0.37)) % 1.0;
                }

                _state = u < bias ? (_state + 1) % 3 : Math.Abs(action % 3);
                _tau++;
                _ended = _tau >= 5;
                Write(observation);
                double reward = owner.Kind == Flaw.NaNRewardBadIndex && _state == 2 ? double.NaN : _state;
                return new TaskStep(reward, false, _ended);
            }

            public string Render() => $"state {_state}";

            private void Write(Span<float> observation)
            {
                observation.Clear();
                observation[_state] = 1;
            }
        }
    }
}
