using System.Globalization;
using RL3.Core.Policies;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp.Transformer;

/// <summary>
/// One network of the torch transformer policy (actor or critic), the in-house <c>TransformerNetwork</c> in torch
/// operations: Dense(m→E, ReLU) → Dense(E→d, ReLU) → LayerNorm → + learned positions → post-LN decoder blocks → ReLU
/// → Dense(d→out).
/// </summary>
internal sealed class TorchTransformerNetwork : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "input1")]
    private readonly Linear _input1;

    [ComponentName(Name = "input2")]
    private readonly Linear _input2;

    [ComponentName(Name = "input_norm")]
    private readonly LayerNorm _inputNorm;

    [ComponentName(Name = "position")]
    private readonly Parameter _position;

    [ComponentName(Name = "head")]
    private readonly Linear _head;

    private readonly TorchTransformerBlock[] _blocks;

    /// <summary>Creates the network with zero weights, γ = 1, β = 0 and a zero position table on <paramref name="device"/>.</summary>
    public TorchTransformerNetwork(PolicyShape shape, TransformerPolicyOptions o, int outputs, Device device)
        : base(nameof(TorchTransformerNetwork))
    {
        _input1 = TorchLayers.Dense(shape.ObservationSize, o.EmbeddingHiddenSize, device);
        _input2 = TorchLayers.Dense(o.EmbeddingHiddenSize, o.ModelDim, device);
        _inputNorm = TorchLayers.Norm(o.ModelDim, o.LayerNormEpsilon, device);
        _position = new Parameter(zeros(new long[] { shape.ContextLength, o.ModelDim }, ScalarType.Float32, device));
        _head = TorchLayers.Dense(o.ModelDim, outputs, device);
        _blocks = new TorchTransformerBlock[o.Layers];
        RegisterComponents();
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = new TorchTransformerBlock(o.ModelDim, o.Heads, o.FeedForwardDim, o.LayerNormEpsilon, device);
            register_module("block" + i.ToString(CultureInfo.InvariantCulture), _blocks[i]);
        }
    }

    /// <summary>Decoder blocks (one key/value cache each when acting).</summary>
    public int Layers => _blocks.Length;

    /// <summary>
    /// The parameters as (in-house name, torch name, transposed) in the in-house <c>TransformerNetwork</c>'s order; the
    /// in-house tensor is the transpose of the torch one for dense weights (in-house <c>[in, out]</c>, torch <c>[out, in]</c>).
    /// </summary>
    public static IEnumerable<(string Name, string TorchName, bool Transposed)> Bindings(int layers)
    {
        var names = new List<(string, string, bool)>();
        Dense(names, "input1");
        Dense(names, "input2");
        Norm(names, "input_norm");
        names.Add(("position.table", "position", false));
        for (int i = 0; i < layers; i++)
        {
            string b = "block" + i.ToString(CultureInfo.InvariantCulture) + ".";
            Dense(names, b + "attention.qkv");
            Dense(names, b + "attention.out");
            Norm(names, b + "norm1");
            Dense(names, b + "ff1");
            Dense(names, b + "ff2");
            Norm(names, b + "norm2");
        }

        Dense(names, "head");
        return names;
    }

    /// <summary>Whole sequences from position 0: <c>[B, T, m]</c> → <c>[B, T, out]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        long t = input.shape[1];
        using var e = Embed(input);
        using var table = _position.narrow(0, 0, t);
        var x = e + table;
        foreach (var block in _blocks)
        {
            using var previous = x;
            x = block.forward(previous);
        }

        using (x)
        {
            using var r = nn.functional.relu(x);
            return _head.forward(r);
        }
    }

    /// <summary>
    /// One token per slot: <c>[N, m]</c> → <c>[N, out]</c>, writing block i's key and value into
    /// <c>cache(2i)</c> and <c>cache(2i + 1)</c>.
    /// </summary>
    /// <param name="input">The observations, <c>[N, m]</c>.</param>
    /// <param name="cache">Block i's keys at 2i and values at 2i + 1, each <c>[N, heads, capacity, head dim]</c>.</param>
    /// <param name="slots">0…N−1 (long, on the device).</param>
    /// <param name="positions">Every slot's position (long, on the device).</param>
    /// <param name="mask">True where slot i may attend to position j: <c>[N, 1, 1, length]</c>.</param>
    /// <param name="length">The largest position + 1.</param>
    public Tensor Step(Tensor input, Func<int, Tensor> cache, Tensor slots, Tensor positions, Tensor mask, long length)
    {
        using var e = Embed(input);
        using var rows = _position.index_select(0, positions);
        var x = e + rows;
        for (int i = 0; i < _blocks.Length; i++)
        {
            using var previous = x;
            x = _blocks[i].Step(previous, cache(2 * i), cache((2 * i) + 1), slots, positions, mask, length);
        }

        using (x)
        {
            using var r = nn.functional.relu(x);
            return _head.forward(r);
        }
    }

    private static void Dense(List<(string, string, bool)> names, string name)
    {
        names.Add((name + ".weight", name + ".weight", true));
        names.Add((name + ".bias", name + ".bias", false));
    }

    private static void Norm(List<(string, string, bool)> names, string name)
    {
        names.Add((name + ".gamma", name + ".weight", false));
        names.Add((name + ".beta", name + ".bias", false));
    }

    private Tensor Embed(Tensor input)
    {
        using var h1 = _input1.forward(input);
        using var r1 = nn.functional.relu(h1);
        using var h2 = _input2.forward(r1);
        using var r2 = nn.functional.relu(h2);
        return _inputNorm.forward(r2);
    }
}
