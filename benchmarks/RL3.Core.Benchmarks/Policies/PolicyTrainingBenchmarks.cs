using BenchmarkDotNet.Attributes;
using RL3.Core.Nn;
using RL3.Core.Nn.Optim;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Benchmarks.Policies;

/// <summary>
/// One PPO minibatch update of actor + critic as in <c>../shared/perf/policy_bench.py</c>: sequence forward, clipped PPO
/// loss + 0.5·value loss − 0.01·entropy (derivatives per token), backward, global grad-norm clip 0.5, Adam step;
/// obs dim 17, 5 actions, random data; 4096 tokens either way (tokens/s = 4096 / time).
/// Baseline: the same update feeding one sequence at a time (gradients accumulated), i.e. without batching.
/// Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- --filter '*PolicyTrainingBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PolicyBenchmarkConfig))]
public class PolicyTrainingBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private IMetaPolicy _policy = null!;
    private Adam _adam = null!;
    private List<Parameter> _parameters = [];
    private float[] _obs = [];
    private int[] _act = [];
    private float[] _oldLogp = [];
    private float[] _adv = [];
    private float[] _ret = [];
    private float[] _logp = [];
    private float[] _ent = [];
    private float[] _val = [];
    private float[] _dl = [];
    private float[] _dh = [];
    private float[] _dv = [];
    private int _b;
    private int _t;

    /// <summary>The policy type.</summary>
    [Params("Transformer", "Gru")]
    public string Policy { get; set; } = "Transformer";

    /// <summary>Minibatch as sequences x steps.</summary>
    [Params("8x512", "64x64")]
    public string Minibatch { get; set; } = "64x64";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Minibatch.Split('x');
        _b = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        _t = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        _policy = Policy == "Transformer"
            ? new TransformerPolicy(new PolicyShape(ObservationSize, Actions, 512), new TransformerPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 })
            : new GruPolicy(new PolicyShape(ObservationSize, Actions), new GruPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
        var inHouse = (IInHousePolicy)_policy;
        _adam = new Adam(inHouse.ActorParameters.Concat(inHouse.CriticParameters), new AdamOptions { LearningRate = 3e-4 });
        _parameters = [.. inHouse.ActorParameters.Concat(inHouse.CriticParameters).Select(p => p.Value)];
        int n = _b * _t;
        var rng = new RandomSource(2);
        _obs = new float[n * ObservationSize];
        for (int i = 0; i < _obs.Length; i++)
        {
            _obs[i] = (float)rng.NextGaussian();
        }

        _act = new int[n];
        _oldLogp = new float[n];
        _adv = new float[n];
        _ret = new float[n];
        for (int i = 0; i < n; i++)
        {
            _act[i] = rng.NextInt(Actions);
            _oldLogp[i] = (float)(-rng.NextDouble() - 1.0);
            _adv[i] = (float)rng.NextGaussian();
            _ret[i] = (float)rng.NextGaussian();
        }

        _logp = new float[n];
        _ent = new float[n];
        _val = new float[n];
        _dl = new float[n];
        _dh = new float[n];
        _dv = new float[n];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adam.Dispose();
        _policy.Dispose();
    }

    /// <summary>One sequence per forward/backward call.</summary>
    [Benchmark(Baseline = true)]
    public void PerSequence()
    {
        _adam.ZeroGrad();
        for (int s = 0; s < _b; s++)
        {
            int o = s * _t;
            _policy.EvaluateSequences(_obs.AsSpan(o * ObservationSize, _t * ObservationSize), _act.AsSpan(o, _t), 1, _t, _logp.AsSpan(o, _t), _ent.AsSpan(o, _t), _val.AsSpan(o, _t));
            LossGradients(o, _t);
            _policy.BackwardSequences(_dl.AsSpan(o, _t), _dh.AsSpan(o, _t), _dv.AsSpan(o, _t));
        }

        GradientClipping.ClipByGlobalNorm(_parameters, 0.5);
        _adam.Step();
    }

    /// <summary>The whole minibatch in one forward/backward.</summary>
    [Benchmark]
    public void Batched()
    {
        _adam.ZeroGrad();
        _policy.EvaluateSequences(_obs, _act, _b, _t, _logp, _ent, _val);
        LossGradients(0, _b * _t);
        _policy.BackwardSequences(_dl, _dh, _dv);
        GradientClipping.ClipByGlobalNorm(_parameters, 0.5);
        _adam.Step();
    }

    /// <summary>
    /// Per-token derivatives of L = −mean(min(ρA, clip(ρ, 0.8, 1.2)A)) + 0.5·mean((V − R)²) − 0.01·mean(H), ρ = exp(logp − logp_old).
    /// </summary>
    private void LossGradients(int offset, int count)
    {
        float inv = 1f / (_b * _t);
        for (int i = offset; i < offset + count; i++)
        {
            float ratio = MathF.Exp(_logp[i] - _oldLogp[i]);
            float a = _adv[i];
            float unclipped = ratio * a;
            float clipped = Math.Clamp(ratio, 0.8f, 1.2f) * a;
            _dl[i] = unclipped <= clipped ? -inv * unclipped : 0f;
            _dh[i] = -0.01f * inv;
            _dv[i] = inv * (_val[i] - _ret[i]);
        }
    }
}
