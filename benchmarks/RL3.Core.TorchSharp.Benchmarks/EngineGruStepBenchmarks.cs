using BenchmarkDotNet.Attributes;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.TorchSharp.Benchmarks;

/// <summary>
/// One acting step of the GRU policy (actor + critic + sampling) for N slots on each engine: the in-house
/// <see cref="GruPolicy"/> (baseline) and <see cref="TorchGruPolicy"/> on the CPU; obs dim 17, 5 actions, default sizes
/// (embedding 64, hidden 256), as <c>RL3.Core.Benchmarks.Policies.GruActBenchmarks</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineGruStepBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private GruPolicy _inHouse = null!;
    private TorchGruPolicy _torch = null!;
    private IMetaPolicyState _inHouseState = null!;
    private IMetaPolicyState _torchState = null!;
    private RandomSource _sampler = null!;
    private float[] _observations = [];
    private int[] _actions = [];
    private float[] _logp = [];
    private float[] _values = [];

    /// <summary>Slots acting together.</summary>
    [Params(64, 256)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new PolicyShape(ObservationSize, Actions);
        _inHouse = new GruPolicy(shape, new GruPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
        _torch = new TorchGruPolicy(shape, new GruPolicyOptions { Seed = 1 }, EngineBenchmarkConfig.TorchOptions);
        _inHouseState = _inHouse.CreateState(N);
        _torchState = _torch.CreateState(N);
        var rng = new RandomSource(2);
        _sampler = new RandomSource(3);
        _observations = new float[N * ObservationSize];
        for (int i = 0; i < _observations.Length; i++)
        {
            _observations[i] = (float)rng.NextGaussian();
        }

        _actions = new int[N];
        _logp = new float[N];
        _values = new float[N];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_torchState as IDisposable)?.Dispose();
        _torch.Dispose();
        _inHouse.Dispose();
    }

    /// <summary>The in-house engine's batched step.</summary>
    [Benchmark(Baseline = true)]
    public int InHouse()
    {
        _inHouse.Act(_inHouseState, _observations, ActionSelection.Sample, _sampler, _actions, _logp, _values);
        return _actions[0];
    }

    /// <summary>The TorchSharp policy's batched step.</summary>
    [Benchmark]
    public int TorchSharp()
    {
        _torch.Act(_torchState, _observations, ActionSelection.Sample, _sampler, _actions, _logp, _values);
        return _actions[0];
    }
}
