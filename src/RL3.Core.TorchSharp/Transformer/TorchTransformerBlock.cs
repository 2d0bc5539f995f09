using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp.Transformer;

/// <summary>
/// Post-LN causal decoder block (self-attention only, no dropout), as the in-house <c>TransformerDecoderBlock</c>:
/// <c>x₁ = LN₁(x + MHSA(x))</c>, <c>y = LN₂(x₁ + W₂·GELU(W₁ x₁ + b₁) + b₂)</c>, GELU in its tanh form.
/// </summary>
internal sealed class TorchTransformerBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "attention")]
    private readonly TorchCausalSelfAttention _attention;

    [ComponentName(Name = "norm1")]
    private readonly LayerNorm _norm1;

    [ComponentName(Name = "ff1")]
    private readonly Linear _ff1;

    [ComponentName(Name = "ff2")]
    private readonly Linear _ff2;

    [ComponentName(Name = "norm2")]
    private readonly LayerNorm _norm2;

    /// <summary>Creates the block with zero weights and γ = 1, β = 0.</summary>
    public TorchTransformerBlock(int modelDim, int heads, int feedForwardDim, float layerNormEpsilon, Device device)
        : base(nameof(TorchTransformerBlock))
    {
        _attention = new TorchCausalSelfAttention(modelDim, heads, device);
        _norm1 = TorchLayers.Norm(modelDim, layerNormEpsilon, device);
        _ff1 = TorchLayers.Dense(modelDim, feedForwardDim, device);
        _ff2 = TorchLayers.Dense(feedForwardDim, modelDim, device);
        _norm2 = TorchLayers.Norm(modelDim, layerNormEpsilon, device);
        RegisterComponents();
    }

    /// <summary>Whole sequences: <c>[B, T, d]</c> → <c>[B, T, d]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var a = _attention.forward(input);
        return Rest(input, a);
    }

    /// <summary>One token per slot with the layer's cache (see <see cref="TorchCausalSelfAttention.Step"/>).</summary>
    public Tensor Step(Tensor input, Tensor keys, Tensor values, Tensor slots, Tensor positions, Tensor mask, long length)
    {
        using var a = _attention.Step(input, keys, values, slots, positions, mask, length);
        return Rest(input, a);
    }

    private Tensor Rest(Tensor input, Tensor attention)
    {
        using var s1 = input + attention;
        using var x1 = _norm1.forward(s1);
        using var h = _ff1.forward(x1);
        using var g = nn.functional.gelu(h, GELU.Approximate.tanh);
        using var f = _ff2.forward(g);
        using var s2 = x1 + f;
        return _norm2.forward(s2);
    }
}
