using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Policies;

public sealed class PolicyCheckerTests
{
    private static GruPolicy Gru() => new(new PolicyShape(5, 3), new GruPolicyOptions { EmbeddingSize = 6, HiddenSize = 7, Seed = 1 });

    private static IEnumerable<TestCaseData> ShippedPolicies()
    {
        yield return new TestCaseData((Func<IMetaPolicy>)Gru).SetName("Check_GruPolicy_Passes");
        yield return new TestCaseData((Func<IMetaPolicy>)(() => new MlpPolicy(new PolicyShape(5, 3), new MlpPolicyOptions { HiddenSize = 6, Seed = 1 })))
            .SetName("Check_MlpPolicy_Passes");
        yield return new TestCaseData((Func<IMetaPolicy>)(() => new TransformerPolicy(new PolicyShape(5, 3, 16), new TransformerPolicyOptions
        { EmbeddingHiddenSize = 12, ModelDim = 8, Heads = 2, FeedForwardDim = 12, Layers = 2, Seed = 1,
        }))).SetName("Check_TransformerPolicy_Passes");
    }

    [TestCaseSource(nameof(ShippedPolicies))]
    public void Check_ShippedPolicy_PassesAndLeavesTheWeightsUnchanged(Func<IMetaPolicy> create)
    {
        using var policy = create();
        byte[] before = Weights(policy);
        var report = PolicyChecker.Check(policy);
        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Results.Select(r => r.Name), Is.EqualTo(new[]
        {
            PolicyChecker.ShapeCheck, PolicyChecker.ActingCheck, PolicyChecker.ResetCheck, PolicyChecker.GradientCheck, PolicyChecker.SaveLoadCheck,
        }));
        Assert.That(Weights(policy), Is.EqualTo(before));
    }

    [TestCase(Defect.ActingDrifts, PolicyChecker.ActingCheck)]
    [TestCase(Defect.ResetIgnored, PolicyChecker.ResetCheck)]
    [TestCase(Defect.NaNGradients, PolicyChecker.GradientCheck)]
    [TestCase(Defect.LoadIgnored, PolicyChecker.SaveLoadCheck)]
    public void Check_BrokenPolicy_FailsTheCheckThatCoversTheDefect(Defect defect, string failing)
    {
        using var inner = Gru();
        using var broken = new BrokenPolicy(inner, defect);
        var report = PolicyChecker.Check(broken);
        Assert.That(report.Passed, Is.False);
        Assert.That(report[failing].Passed, Is.False, report.ToString());
        Assert.That(report[PolicyChecker.ShapeCheck].Passed, Is.True, report.ToString());
        Assert.That(report.ToString(), Does.Contain("FAIL").And.Contain(failing));
    }

    [Test]
    public void Check_OptionOutOfRange_ThrowsNamingIt()
    {
        using var policy = Gru();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PolicyChecker.Check(policy, new PolicyCheckOptions { Steps = 3 }));
        Assert.That(ex!.ParamName, Is.EqualTo("options.Steps"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => PolicyChecker.Check(policy, new PolicyCheckOptions { Tolerance = double.NaN }));
        Assert.That(ex!.ParamName, Is.EqualTo("options.Tolerance"));
    }

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    public enum Defect
    {
        ActingDrifts,
        ResetIgnored,
        NaNGradients,
        LoadIgnored,
    }

    /// <summary>A real policy with one deliberate defect.</summary>
    private sealed class BrokenPolicy(IMetaPolicy inner, Defect defect) : IMetaPolicy
    {
        public int ObservationSize => inner.ObservationSize;

        public int ActionCount => inner.ActionCount;

        public int MaxSequenceLength => inner.MaxSequenceLength;

        public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => inner.CreateOptimizer(settings);

        public IMetaPolicyState CreateState(int slots) => new BrokenState(inner.CreateState(slots), defect == Defect.ResetIgnored);

        public void Act(IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random, Span<int> actions, Span<float> logProbabilities, Span<float> values)
        {
            inner.Act(((BrokenState)state).Inner, observations, selection, random, actions, logProbabilities, values);
            if (defect == Defect.ActingDrifts)
            {
                values[0] += 0.01f;
            }
        }

        public void EvaluateSequences(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps, Span<float> logProbabilities, Span<float> entropies, Span<float> values) =>
            inner.EvaluateSequences(observations, actions, sequences, steps, logProbabilities, entropies, values);

        public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
        {
            if (defect == Defect.NaNGradients)
            {
                var nan = new float[valueGradients.Length];
                Array.Fill(nan, float.NaN);
                inner.BackwardSequences(logProbabilityGradients, entropyGradients, nan);
                return;
            }

            inner.BackwardSequences(logProbabilityGradients, entropyGradients, valueGradients);
        }

        public void ZeroGrad() => inner.ZeroGrad();

        public void Save(Stream stream) => inner.Save(stream);

        public void Load(Stream stream)
        {
            if (defect != Defect.LoadIgnored)
            {
                inner.Load(stream);
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class BrokenState(IMetaPolicyState inner, bool ignoreReset) : IMetaPolicyState
    {
        public IMetaPolicyState Inner => inner;

        public int Slots => inner.Slots;

        public int GetPosition(int slot) => inner.GetPosition(slot);

        public void Reset(int slot)
        {
            if (!ignoreReset)
            {
                inner.Reset(slot);
            }
        }

        public void ResetAll() => inner.ResetAll();
    }
}
