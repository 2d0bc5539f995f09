using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>Builds the same policy in both engines and reads what the cross-engine tests compare.</summary>
internal static class CrossEngine
{
    public static readonly GruPolicyOptions Gru = new() { EmbeddingSize = 8, HiddenSize = 12, Seed = 5 };
    public static readonly MlpPolicyOptions Mlp = new() { HiddenSize = 16, HiddenLayers = 2, Seed = 5 };

    public static IMetaPolicy InHouse(string kind, int m, int a) => kind switch
    {
        "gru" => new GruPolicy(new PolicyShape(m, a), Gru),
        "mlp" => new MlpPolicy(new PolicyShape(m, a), Mlp),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IMetaPolicy Torch(string kind, int m, int a, TorchSharpOptions? options = null) => kind switch
    {
        "gru" => new TorchGruPolicy(new PolicyShape(m, a), Gru, options),
        "mlp" => new TorchMlpPolicy(new PolicyShape(m, a), Mlp, options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static float[] Uniform(RandomSource rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        return x;
    }

    public static float[] Parameters(IMetaPolicy policy)
    {
        using var o = policy.CreateOptimizer(new PolicyOptimizerSettings());
        var p = new float[o.ParameterCount];
        o.CopyParametersTo(p);
        return p;
    }

    /// <summary>Adds U(−0.3, 0.3) to every parameter (so that biases are not zero).</summary>
    public static void Perturb(IMetaPolicy policy, ulong seed)
    {
        using var o = policy.CreateOptimizer(new PolicyOptimizerSettings());
        var p = new float[o.ParameterCount];
        o.CopyParametersTo(p);
        var rng = new RandomSource(seed);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] += (float)(0.6 * rng.NextDouble() - 0.3);
        }

        o.CopyParametersFrom(p);
    }

    public static (float[] LogP, float[] Entropy, float[] Value, float[] Gradient) EvaluateAndBackward(
        IMetaPolicy policy, float[] obs, int[] actions, int b, int t, float[] gl, float[] ge, float[] gv)
    {
        int n = b * t;
        var (lp, en, v) = (new float[n], new float[n], new float[n]);
        using var o = policy.CreateOptimizer(new PolicyOptimizerSettings());
        o.ZeroGrad();
        policy.EvaluateSequences(obs, actions, b, t, lp, en, v);
        policy.BackwardSequences(gl, ge, gv);
        var g = new float[o.ParameterCount];
        o.CopyGradientsTo(g);
        return (lp, en, v, g);
    }
}
