using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Tests;

public sealed class TorchMlpPolicyTests
{
    [Test]
    public void Act_SameWeightsAsTheInHousePolicy_SameActionsLogProbabilitiesAndValues()
    {
        var shape = new PolicyShape(7, 4);
        var options = new MlpPolicyOptions { HiddenSize = 16, HiddenLayers = 2, Seed = 5 };
        using var inHouse = new MlpPolicy(shape, options);
        using var torchPolicy = new TorchMlpPolicy(shape, options);
        const int n = 5;
        var obs = new float[n * 7];
        var r = new RandomSource(1);
        for (int i = 0; i < obs.Length; i++)
        {
            obs[i] = (float)(r.NextDouble() * 2 - 1);
        }

        var (a1, l1, v1) = Act(inHouse, obs, n);
        var (a2, l2, v2) = Act(torchPolicy, obs, n);
        Assert.That(a2, Is.EqualTo(a1));
        Assert.That(l2, Is.EqualTo(l1).Within(1e-5f).AsCollection);
        Assert.That(v2, Is.EqualTo(v1).Within(1e-5f).AsCollection);
    }

    private static (int[] Actions, float[] LogProbabilities, float[] Values) Act(IMetaPolicy policy, float[] obs, int n)
    {
        var state = policy.CreateState(n);
        var actions = new int[n];
        var logp = new float[n];
        var values = new float[n];
        policy.Act(state, obs, ActionSelection.Sample, new RandomSource(9), actions, logp, values);
        return (actions, logp, values);
    }
}
