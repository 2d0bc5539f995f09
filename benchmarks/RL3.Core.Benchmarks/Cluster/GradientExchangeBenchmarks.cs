using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RL3.Core.Orleans.Messages;

namespace RL3.Core.Benchmarks.Cluster;

/// <summary>
/// The learner's per-round work on a cluster with S = 4 shards, for the policy sizes of the presets: summing the S
/// partial gradients in shard order (baseline; what one process does too), and the Orleans serialisation of one
/// gradient message (<see cref="GradientReply"/> with the gradient as a <see cref="FloatBuffer"/>, written and read
/// back) against the same floats as a plain <c>float[]</c>. A round moves W weight messages and S gradient messages, so
/// its serialisation cost is about (W + S) × the message's.
/// </summary>
[MemoryDiagnoser]
public class GradientExchangeBenchmarks
{
    private const int Shards = 4;

    private ServiceProvider _services = null!;
    private Serializer _serializer = null!;
    private float[][] _gradients = null!;
    private float[] _sum = null!;
    private GradientReply _reply = null!;
    private FloatArrayMessage _plain = null!;

    /// <summary>P: 39 878 (quick GRU), 265 350 (paper transformer, mdp-h100), 500 870 (GRU at the paper's H = 100).</summary>
    [Params(39_878, 265_350, 500_870)]
    public int Parameters { get; set; }

    /// <summary>Builds S gradients of P floats and the messages.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        var random = new RL3.Core.Randomness.RandomSource(11);
        _gradients = new float[Shards][];
        for (int s = 0; s < Shards; s++)
        {
            _gradients[s] = new float[Parameters];
            for (int i = 0; i < Parameters; i++)
            {
                _gradients[s][i] = (float)(random.NextDouble() - 0.5);
            }
        }

        _sum = new float[Parameters];
        _reply = new GradientReply(3, 1, 0, 0, FloatBuffer.CopyOf(_gradients[0]), 100, 0.1, 0.2, 0.3, 0.01, 4, 0.5);
        _plain = new FloatArrayMessage(_gradients[0]);
    }

    /// <summary>Releases the serializer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>Σ over the S shards, in shard order, element by element (the learner's all-reduce arithmetic).</summary>
    [Benchmark(Baseline = true)]
    public float SumInShardOrder()
    {
        var sum = _sum.AsSpan();
        _gradients[0].CopyTo(sum);
        for (int s = 1; s < Shards; s++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sum, _gradients[s], sum);
        }

        return sum[0];
    }

    /// <summary>One gradient message (float blob) serialised and read back.</summary>
    [Benchmark]
    public int GradientMessageRoundTrip()
    {
        byte[] wire = _serializer.SerializeToArray(_reply);
        return _serializer.Deserialize<GradientReply>(wire)!.Gradients.Count + wire.Length;
    }

    /// <summary>The same floats as a <c>float[]</c> field, serialised and read back (what a naive message costs).</summary>
    [Benchmark]
    public int FloatArrayRoundTrip()
    {
        byte[] wire = _serializer.SerializeToArray(_plain);
        return _serializer.Deserialize<FloatArrayMessage>(wire)!.Values.Length + wire.Length;
    }
}

/// <summary>A message holding a plain <c>float[]</c> (for comparison only).</summary>
[GenerateSerializer]
public sealed record FloatArrayMessage([property: Id(0)] float[] Values);
