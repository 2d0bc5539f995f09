using System.Globalization;
using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// One transformer network of <see cref="TransformerPolicy"/> (actor or critic): Dense(m→E, ReLU) → Dense(E→d, ReLU)
/// → LayerNorm → + learned positions → post-LN decoder blocks → ReLU → Dense(d→out).
/// </summary>
internal sealed class TransformerNetwork : Module
{
    private readonly Linear _input1;
    private readonly Relu _relu1;
    private readonly Linear _input2;
    private readonly Relu _relu2;
    private readonly LayerNorm _inputNorm;
    private readonly PositionalEmbedding _position;
    private readonly TransformerDecoderBlock[] _blocks;
    private readonly Relu _reluOut;
    private readonly Linear _head;

    public TransformerNetwork(PolicyShape shape, TransformerPolicyOptions o, int outputs, RandomSource random)
    {
        _input1 = AddModule("input1", new Linear(shape.ObservationSize, o.EmbeddingHiddenSize, random));
        _relu1 = AddModule("relu1", new Relu());
        _input2 = AddModule("input2", new Linear(o.EmbeddingHiddenSize, o.ModelDim, random));
        _relu2 = AddModule("relu2", new Relu());
        _inputNorm = AddModule("input_norm", new LayerNorm(o.ModelDim, o.LayerNormEpsilon));
        _position = AddModule("position", new PositionalEmbedding(shape.ContextLength, o.ModelDim, random));
        _blocks = new TransformerDecoderBlock[o.Layers];
        for (int i = 0; i < o.Layers; i++)
        {
            _blocks[i] = AddModule("block" + i.ToString(CultureInfo.InvariantCulture), new TransformerDecoderBlock(o.ModelDim, o.Heads, o.FeedForwardDim, random, o.LayerNormEpsilon));
            _blocks[i].MaxDegreeOfParallelism = o.MaxDegreeOfParallelism;
        }

        _reluOut = AddModule("relu_out", new Relu());
        _head = AddModule("head", new Linear(o.ModelDim, outputs, random));
    }

    public int Layers => _blocks.Length;

    /// <summary>Whole sequences: <c>[B, T, m]</c> → <c>[B, T, out]</c>.</summary>
    public override NnTensor Forward(NnTensor input)
    {
        var x = _inputNorm.Forward(_relu2.Forward(_input2.Forward(_relu1.Forward(_input1.Forward(input)))));
        x = _position.Forward(x);
        foreach (var block in _blocks)
        {
            x = block.Forward(x);
        }

        return _head.Forward(_reluOut.Forward(x));
    }

    public override NnTensor Backward(NnTensor outputGradient)
    {
        var g = _reluOut.Backward(_head.Backward(outputGradient));
        for (int i = _blocks.Length - 1; i >= 0; i--)
        {
            g = _blocks[i].Backward(g);
        }

        g = _position.Backward(g);
        return _input1.Backward(_relu1.Backward(_input2.Backward(_relu2.Backward(_inputNorm.Backward(g)))));
    }

    /// <summary>One token per slot: <c>[N, m]</c> → <c>[N, out]</c>, appending to <paramref name="caches"/>[firstCache + layer].</summary>
    public NnTensor Step(NnTensor input, AttentionCache[] caches, int firstCache, ReadOnlySpan<int> positions)
    {
        var x = _inputNorm.Forward(_relu2.Forward(_input2.Forward(_relu1.Forward(_input1.Forward(input)))));
        x = _position.ForwardAt(x, positions);
        for (int i = 0; i < _blocks.Length; i++)
        {
            x = _blocks[i].Step(x, caches[firstCache + i], positions);
        }

        return _head.Forward(_reluOut.Forward(x));
    }
}
