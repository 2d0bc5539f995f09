using BenchmarkDotNet.Attributes;
using RL3.Core.Policies;
using RL3.Core.Randomness;

namespace RL3.Core.Benchmarks.Policies;

/// <summary>
/// One acting step of <see cref="GruPolicy"/> (actor + critic + sampling) for N slots, obs dim 17, 5 actions.
/// Baseline: the same step as naive scalar loops (per slot, no GEMM), on the same weights.
/// Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- --filter '*GruActBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PolicyBenchmarkConfig))]
public class GruActBenchmarks
{
    private const int ObservationSize = 17;
    private const int Actions = 5;
    private GruPolicy _policy = null!;
    private IMetaPolicyState _state = null!;
    private RandomSource _sampler = null!;
    private float[] _observations = [];
    private int[] _actions = [];
    private float[] _logp = [];
    private float[] _values = [];
    private float[][] _hidden = [];
    private float[] _embed = [];
    private float[] _gi = [];
    private float[] _gh = [];
    private float[] _out = [];
    private float[][] _weights = [];

    /// <summary>Slots acting together.</summary>
    [Params(64, 256)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = new GruPolicy(new PolicyShape(ObservationSize, Actions), new GruPolicyOptions { Seed = 1, MaxDegreeOfParallelism = -1 });
        _state = _policy.CreateState(N);
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
        _hidden = [new float[N * 256], new float[N * 256]];
        _embed = new float[64];
        _gi = new float[768];
        _gh = new float[768];
        _out = new float[Actions];
        IInHousePolicy inHouse = _policy;
        _weights = inHouse.ActorParameters.Concat(inHouse.CriticParameters).Select(p => p.Value.Value.Span.ToArray()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _policy.Dispose();

    /// <summary>Naive per-slot scalar loops (actor + critic), greedy pick.</summary>
    [Benchmark(Baseline = true)]
    public float NaiveScalar()
    {
        float s = 0;
        var all = _weights;
        for (int net = 0; net < 2; net++)
        {
            int o = net * 8;
            int outs = net == 0 ? Actions : 1;
            for (int i = 0; i < N; i++)
            {
                var x = _observations.AsSpan(i * ObservationSize, ObservationSize);
                Dense(x, all[o], all[o + 1], _embed, true);
                Dense(_embed, all[o + 2], all[o + 4], _gi, false);
                var h = _hidden[net].AsSpan(i * 256, 256);
                Dense(h, all[o + 3], all[o + 5], _gh, false);
                for (int j = 0; j < 256; j++)
                {
                    float r = 1f / (1f + MathF.Exp(-(_gi[j] + _gh[j])));
                    float z = 1f / (1f + MathF.Exp(-(_gi[256 + j] + _gh[256 + j])));
                    float n = MathF.Tanh(_gi[512 + j] + (r * _gh[512 + j]));
                    h[j] = ((1 - z) * n) + (z * h[j]);
                }

                Dense(h, all[o + 6], all[o + 7], _out.AsSpan(0, outs), false);
                s += _out[0];
            }
        }

        return s;
    }

    /// <summary>The policy's batched step.</summary>
    [Benchmark]
    public int GruStep()
    {
        _policy.Act(_state, _observations, ActionSelection.Sample, _sampler, _actions, _logp, _values);
        return _actions[0];
    }

    private static void Dense(ReadOnlySpan<float> x, float[] w, float[] b, Span<float> y, bool relu)
    {
        int outs = y.Length;
        for (int j = 0; j < outs; j++)
        {
            float acc = b[j];
            for (int i = 0; i < x.Length; i++)
            {
                acc += x[i] * w[(i * outs) + j];
            }

            y[j] = relu ? MathF.Max(acc, 0f) : acc;
        }
    }
}
