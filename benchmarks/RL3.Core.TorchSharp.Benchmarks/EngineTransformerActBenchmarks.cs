using BenchmarkDotNet.Attributes;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp.Benchmarks;

/// <summary>
/// One acting step of the transformer policy (actor + critic + sampling) for N slots at context position t, on each
/// engine: the in-house <see cref="TransformerPolicy"/> (baseline) and <see cref="TorchTransformerPolicy"/> on the CPU.
/// The t earlier tokens in the KV caches are random stand-ins, as in <c>RL3.Core.Benchmarks.Policies.TransformerActBenchmarks</c>;
/// obs dim 17, 5 actions, the paper's architecture, 513 positions.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineTransformerActBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private TransformerPolicy _inHouse = null!;
    private TorchTransformerPolicy _torch = null!;
    private ActorCriticPolicyState _inHouseState = null!;
    private TorchPolicyState _torchState = null!;
    private RandomSource _sampler = null!;
    private float[] _observations = [];
    private int[] _actions = [];
    private float[] _logp = [];
    private float[] _values = [];

    /// <summary>Slots acting together.</summary>
    [Params(64, 256)]
    public int N { get; set; }

    /// <summary>Context position of the new token.</summary>
    [Params(64, 256, 512)]
    public int Position { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new PolicyShape(ObservationSize, Actions, 513);
        _inHouse = new TransformerPolicy(shape, new TransformerPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
        _torch = new TorchTransformerPolicy(shape, new TransformerPolicyOptions { Seed = 1 }, EngineBenchmarkConfig.TorchOptions);
        _inHouseState = (ActorCriticPolicyState)_inHouse.CreateState(N);
        _torchState = (TorchPolicyState)_torch.CreateState(N);
        var rng = new RandomSource(2);
        foreach (var cache in _inHouseState.Caches)
        {
            Fill(cache.Keys, rng);
            Fill(cache.Values, rng);
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            manual_seed(2);
            for (int i = 0; i < _torchState.MemoryCount; i++)
            {
                _torchState.GetMemory(i).normal_();
            }
        }

        _sampler = new RandomSource(3);
        _observations = new float[N * ObservationSize];
        Fill(_observations, rng);
        _actions = new int[N];
        _logp = new float[N];
        _values = new float[N];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchState.Dispose();
        _torch.Dispose();
        _inHouse.Dispose();
    }

    /// <summary>The in-house engine's cached step for all N slots at position t.</summary>
    [Benchmark(Baseline = true)]
    public int InHouse()
    {
        for (int i = 0; i < N; i++)
        {
            _inHouseState.SetPosition(i, Position);
        }

        _inHouse.Act(_inHouseState, _observations, ActionSelection.Sample, _sampler, _actions, _logp, _values);
        return _actions[0];
    }

    /// <summary>The TorchSharp policy's cached step for all N slots at position t.</summary>
    [Benchmark]
    public int TorchSharp()
    {
        _torchState.SetAllPositions(Position);
        _torch.Act(_torchState, _observations, ActionSelection.Sample, _sampler, _actions, _logp, _values);
        return _actions[0];
    }

    private static void Fill(float[] a, RandomSource rng)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextGaussian();
        }
    }
}
