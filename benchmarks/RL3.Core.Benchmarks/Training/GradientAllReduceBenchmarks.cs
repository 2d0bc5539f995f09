using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using RL3.Core.Randomness;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.Benchmarks.Training;

/// <summary>
/// The per-minibatch gradient all-reduce of S shards for the paper presets' policies (docs/distributed.md): the
/// learner's sum of S flat gradients in shard order (baseline), and the byte copies a transport makes of them (each
/// gradient written to a byte buffer, and read back into floats). Sizes from the presets: the GRU of the quick presets
/// and the paper's transformer at H = 100 and H = 350 (learned positions grow with the context).
/// </summary>
[MemoryDiagnoser]
public class GradientAllReduceBenchmarks
{
    private float[][] _partials = null!;
    private byte[][] _bytes = null!;
    private float[] _sum = null!;

    /// <summary>The preset whose policy gives the gradient length.</summary>
    [Params("bandits-h10-rl3-quick", "bandits-h100-rl3", "grid13-h350-rl3")]
    public string Preset { get; set; } = "bandits-h100-rl3";

    /// <summary>S.</summary>
    [Params(2, 8)]
    public int Shards { get; set; }

    /// <summary>Builds the preset's policy for its parameter count and fills S random gradients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int count = ShardSizes.ParameterCount(PresetCatalog.Get(Preset));
        var random = new RandomSource(1);
        _partials = new float[Shards][];
        _bytes = new byte[Shards][];
        for (int s = 0; s < Shards; s++)
        {
            _partials[s] = new float[count];
            for (int i = 0; i < count; i++)
            {
                _partials[s][i] = (float)(random.NextDouble() - 0.5);
            }

            _bytes[s] = new byte[count * sizeof(float)];
        }

        _sum = new float[count];
    }

    /// <summary>Σ of the S partial gradients in shard order (what the learner does every minibatch).</summary>
    [Benchmark(Baseline = true)]
    public void SumInShardOrder() => ShardGradients.SumInShardOrder(_partials, _sum);

    /// <summary>Each of the S gradients copied into a byte buffer (what a transport sends).</summary>
    [Benchmark]
    public void WriteBytes()
    {
        for (int s = 0; s < _partials.Length; s++)
        {
            MemoryMarshal.AsBytes(_partials[s].AsSpan()).CopyTo(_bytes[s]);
        }
    }

    /// <summary>Each of the S byte buffers read back into floats (what the learner receives).</summary>
    [Benchmark]
    public void ReadBytes()
    {
        for (int s = 0; s < _bytes.Length; s++)
        {
            MemoryMarshal.Cast<byte, float>(_bytes[s]).CopyTo(_partials[s]);
        }
    }
}
