using System.Globalization;
using BenchmarkDotNet.Attributes;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Benchmarks;

/// <summary>
/// One PPO minibatch update of actor + critic on each engine, through the interface the trainer uses
/// (<see cref="IMetaPolicy"/> and its <see cref="IPolicyOptimizer"/>): sequence forward, clipped PPO loss + 0.5·value loss
/// − 0.01·entropy (derivatives per token), backward, global grad-norm clip 0.5, Adam step; obs dim 17, 5 actions, random
/// data, 4096 tokens either way, as <c>RL3.Core.Benchmarks.Policies.PolicyTrainingBenchmarks</c>. Baseline: the
/// in-house policy.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineTrainingBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private Engine _inHouse = null!;
    private Engine _torch = null!;
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
        _b = int.Parse(parts[0], CultureInfo.InvariantCulture);
        _t = int.Parse(parts[1], CultureInfo.InvariantCulture);
        IMetaPolicy inHouse;
        IMetaPolicy torch;
        if (Policy == "Transformer")
        {
            var shape = new PolicyShape(ObservationSize, Actions, 512);
            inHouse = new TransformerPolicy(shape, new TransformerPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
            torch = new TorchTransformerPolicy(shape, new TransformerPolicyOptions { Seed = 1 }, EngineBenchmarkConfig.TorchOptions);
        }
        else
        {
            var shape = new PolicyShape(ObservationSize, Actions);
            inHouse = new GruPolicy(shape, new GruPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
            torch = new TorchGruPolicy(shape, new GruPolicyOptions { Seed = 1 }, EngineBenchmarkConfig.TorchOptions);
        }

        _inHouse = new Engine(inHouse);
        _torch = new Engine(torch);
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
        _torch.Dispose();
        _inHouse.Dispose();
    }

    /// <summary>The in-house engine's minibatch update.</summary>
    [Benchmark(Baseline = true)]
    public void InHouse() => Update(_inHouse);

    /// <summary>The TorchSharp policy's minibatch update.</summary>
    [Benchmark]
    public void TorchSharp() => Update(_torch);

    private void Update(Engine e)
    {
        e.Optimizer.ZeroGrad();
        e.Policy.EvaluateSequences(_obs, _act, _b, _t, _logp, _ent, _val);
        LossGradients();
        e.Policy.BackwardSequences(_dl, _dh, _dv);
        e.Optimizer.ClipGradientNorm(PolicyParameterGroups.All, 0.5);
        e.Optimizer.Step(PolicyParameterGroups.All);
    }

    /// <summary>
    /// Per-token derivatives of L = −mean(min(ρA, clip(ρ, 0.8, 1.2)A)) + 0.5·mean((V − R)²) − 0.01·mean(H), ρ = exp(logp − logp_old).
    /// </summary>
    private void LossGradients()
    {
        float inv = 1f / (_b * _t);
        for (int i = 0; i < _b * _t; i++)
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

    private sealed class Engine(IMetaPolicy policy) : IDisposable
    {
        public IMetaPolicy Policy { get; } = policy;

        public IPolicyOptimizer Optimizer { get; } = policy.CreateOptimizer(new PolicyOptimizerSettings { LearningRate = 3e-4 });

        public void Dispose()
        {
            Optimizer.Dispose();
            Policy.Dispose();
        }
    }
}
