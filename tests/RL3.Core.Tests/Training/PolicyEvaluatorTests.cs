using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tests.Meta;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class PolicyEvaluatorTests
{
    [Test]
    public void Evaluate_TaskWritingPastItsObservation_ThrowsNamingTheTaskAndSize()
    {
        // Four slots, six tasks: the sixth sample is task 5, in slot 1 of the second wave.
        var spec = MetaEnvironmentSpec.ForAlgorithm(new FaultyDistribution(TaskFault.ObservationOverrun, faultStep: 2, faultySample: 5), MetaAlgorithm.Rl2, interactionBudget: 6, new InnerEstimatorOptions { ValueScale = 1 });
        using var policy = new GruPolicy(new PolicyShape(spec.ObservationSize, 2), new GruPolicyOptions { EmbeddingSize = 8, HiddenSize = 8, Seed = 3 });
        string message = FaultMessages.Of(() => PolicyEvaluator.Evaluate(policy, spec, taskCount: 6, seed: 1, slots: 4, maxDegreeOfParallelism: 1));
        Assert.That(message, Does.Match(@"Task 5 \(FaultyTask\) indexed out of range in Step\(action [01]\)\. The observation span it was given has 2 elements"));
    }

    [Test]
    public void Evaluate_TaskWritingNaNObservation_ThrowsNamingTheTask()
    {
        var spec = MetaEnvironmentSpec.ForAlgorithm(new FaultyDistribution(TaskFault.ObservationValue, faultStep: 1, faultySample: 0), MetaAlgorithm.Rl3, interactionBudget: 6, new InnerEstimatorOptions { ValueScale = 1 });
        using var policy = new GruPolicy(new PolicyShape(spec.ObservationSize, 2), new GruPolicyOptions { EmbeddingSize = 8, HiddenSize = 8, Seed = 3 });
        string message = FaultMessages.Of(() => PolicyEvaluator.Evaluate(policy, spec, taskCount: 2, seed: 1, slots: 2, maxDegreeOfParallelism: 1));
        Assert.That(message, Does.Match(@"Task 0 \(FaultyTask\) wrote a non-finite observation in Step\(action [01]\): element 1 of its 2-element observation is NaN\."));
    }
}
