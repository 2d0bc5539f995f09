using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Policies;

/// <summary>A policy author's subclass of the public base gets the whole contract from three network passes.</summary>
public sealed class ActorCriticPolicyTests
{
    [Test]
    public void UserSubclass_PassesThePolicyChecker()
    {
        using var policy = new LinearPolicy(observationSize: 4, actionCount: 3);
        var report = PolicyChecker.Check(policy);
        Assert.That(report.Passed, Is.True, report.ToString());
    }

    [Test]
    public void UserSubclass_GetsTheBaseArgumentChecks()
    {
        using var policy = new LinearPolicy(4, 3);
        using var other = new LinearPolicy(4, 3);
        PolicyTestKit.BadArgumentsAreRejected(policy, other);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LinearPolicy(0, 3));
    }

    [Test]
    public void UserSubclass_TrainsThroughItsOptimizer()
    {
        using var policy = new LinearPolicy(4, 3);
        using var optimizer = policy.CreateOptimizer(new PolicyOptimizerSettings { LearningRate = 0.1 });
        var rng = new RandomSource(3);
        var obs = PolicyTestKit.RandomObservations(rng, 2 * 5 * 4);
        var actions = new int[10];
        var lp = new float[10];
        var entropy = new float[10];
        var values = new float[10];
        policy.EvaluateSequences(obs, actions, 2, 5, lp, entropy, values);
        float before = lp.Average();

        // Minimise −Σ log π(a = 0): the probability of action 0 must rise.
        var dl = Enumerable.Repeat(-1f, 10).ToArray();
        optimizer.ZeroGrad();
        policy.BackwardSequences(dl, new float[10], new float[10]);
        optimizer.Step(PolicyParameterGroups.Actor);
        policy.EvaluateSequences(obs, actions, 2, 5, lp, entropy, values);
        Assert.That(lp.Average(), Is.GreaterThan(before));
    }

    /// <summary>The smallest author's policy: one linear layer per network, no memory.</summary>
    private sealed class LinearPolicy : ActorCriticPolicy
    {
        private readonly Linear _actor;
        private readonly Linear _critic;

        public LinearPolicy(int observationSize, int actionCount)
            : this(new Linear(Math.Max(1, observationSize), actionCount, new RandomSource(1)), new Linear(Math.Max(1, observationSize), 1, new RandomSource(2)), observationSize, actionCount)
        {
        }

        private LinearPolicy(Linear actor, Linear critic, int observationSize, int actionCount)
            : base(actor, critic, observationSize, actionCount)
        {
            _actor = actor;
            _critic = critic;
        }

        public override int MaxSequenceLength => int.MaxValue;

        public override IMetaPolicyState CreateState(int slots) => NewState(slots);

        protected override (NnTensor Logits, NnTensor Values) StepNetworks(NnTensor observations, ActorCriticPolicyState state) =>
            (_actor.Forward(observations), _critic.Forward(observations));

        protected override (NnTensor Logits, NnTensor Values) ForwardNetworks(NnTensor observations) =>
            (_actor.Forward(observations), _critic.Forward(observations));

        protected override void BackwardNetworks(NnTensor logitGradient, NnTensor valueGradient)
        {
            _actor.Backward(logitGradient);
            _critic.Backward(valueGradient);
        }
    }
}
