using BenchmarkDotNet.Attributes;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Benchmarks.Policies;

/// <summary>
/// One acting step of <see cref="TransformerPolicy"/> (actor + critic + sampling) for N slots at context position t
/// (t earlier tokens in the KV cache, random stand-ins as in <c>../shared/perf/policy_bench.py</c>), obs dim 17, 5 actions.
/// Baseline: full recomputation of the t + 1 token prefix without a cache (in chunks of 16 slots to bound memory).
/// Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- --filter '*TransformerActBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PolicyBenchmarkConfig))]
public class TransformerActBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private const int Chunk = 16;
    private TransformerPolicy _policy = null!;
    private IMetaPolicyState _state = null!;
    private RandomSource _sampler = null!;
    private float[] _observations = [];
    private float[] _sequence = [];
    private int[] _sequenceActions = [];
    private float[] _logp = [];
    private float[] _entropy = [];
    private float[] _value = [];
    private int[] _actions = [];
    private float[] _stepLogp = [];
    private float[] _stepValues = [];

    /// <summary>Slots acting together.</summary>
    [Params(64, 256)]
    public int N { get; set; }

    /// <summary>Context position of the new token.</summary>
    [Params(64, 256, 512)]
    public int Position { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = new TransformerPolicy(new PolicyShape(ObservationSize, Actions, 513), new TransformerPolicyOptions
        {
            Seed = 1,
            MaxDegreeOfParallelism = -1,
        });
        _state = _policy.CreateState(N);
        var rng = new RandomSource(2);
        foreach (var cache in ((ActorCriticPolicyState)_state).Caches)
        {
            Fill(cache.Keys, rng);
            Fill(cache.Values, rng);
        }

        _sampler = new RandomSource(3);
        _observations = new float[N * ObservationSize];
        Fill(_observations, rng);
        _actions = new int[N];
        _stepLogp = new float[N];
        _stepValues = new float[N];
        int tokens = Chunk * (Position + 1);
        _sequence = new float[tokens * ObservationSize];
        Fill(_sequence, rng);
        _sequenceActions = new int[tokens];
        _logp = new float[tokens];
        _entropy = new float[tokens];
        _value = new float[tokens];
    }

    [GlobalCleanup]
    public void Cleanup() => _policy.Dispose();

    /// <summary>Full recomputation of every slot's prefix (t + 1 tokens), no cache.</summary>
    [Benchmark(Baseline = true)]
    public float FullRecompute()
    {
        float s = 0;
        for (int c = 0; c < N; c += Chunk)
        {
            _policy.EvaluateSequences(_sequence, _sequenceActions, Chunk, Position + 1, _logp, _entropy, _value);
            s += _value[^1];
        }

        return s;
    }

    /// <summary>One cached step for all N slots at position t.</summary>
    [Benchmark]
    public int KvCacheStep()
    {
        var state = (ActorCriticPolicyState)_state;
        for (int i = 0; i < N; i++)
        {
            state.SetPosition(i, Position);
        }

        _policy.Act(_state, _observations, ActionSelection.Sample, _sampler, _actions, _stepLogp, _stepValues);
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
