using System.Numerics.Tensors;
using RL3.Core.Randomness;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Post-LN causal decoder block (self-attention only, no dropout):
/// <c>x₁ = LN₁(x + MHSA(x))</c>, <c>y = LN₂(x₁ + W₂·GELU(W₁ x₁ + b₁) + b₂)</c>, GELU in its tanh form.
/// </summary>
/// <remarks>
/// Backward: <c>∂s₂ = LN₂ᵀ(∂y)</c>, <c>∂x₁ = ∂s₂ + FFNᵀ(∂s₂)</c>, <c>∂s₁ = LN₁ᵀ(∂x₁)</c>,
/// <c>∂x = ∂s₁ + MHSAᵀ(∂s₁)</c>. <see cref="Step"/> runs the same block on one token per slot with an
/// <see cref="AttentionCache"/>. Parameter initialisation order: attention, feed-forward W₁, W₂ (Glorot-uniform,
/// zero biases); LayerNorm γ = 1, β = 0.
/// </remarks>
public sealed class TransformerDecoderBlock : Module
{
    private readonly CausalSelfAttention _attention;
    private readonly LayerNorm _norm1;
    private readonly Linear _ff1;
    private readonly Gelu _gelu;
    private readonly Linear _ff2;
    private readonly LayerNorm _norm2;
    private readonly NnTensor _sum1 = new(0, 0);
    private readonly NnTensor _sum2 = new(0, 0);
    private readonly NnTensor _gradient1 = new(0, 0);
    private readonly NnTensor _inputGradient = new(0, 0);
    private bool _hasForward;

    /// <summary>Creates the block.</summary>
    /// <param name="modelDim">Model dimension d (≥ 1, divisible by <paramref name="heads"/>).</param>
    /// <param name="heads">Number of attention heads (≥ 1).</param>
    /// <param name="feedForwardDim">Hidden size of the feed-forward network (≥ 1).</param>
    /// <param name="random">Source of the initial weights.</param>
    /// <param name="layerNormEpsilon">The LayerNorm ε (default 1e-5).</param>
    public TransformerDecoderBlock(int modelDim, int heads, int feedForwardDim, RandomSource random, float layerNormEpsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(feedForwardDim);
        ArgumentNullException.ThrowIfNull(random);
        ModelDim = modelDim;
        _attention = AddModule("attention", new CausalSelfAttention(modelDim, heads, random));
        _norm1 = AddModule("norm1", new LayerNorm(modelDim, layerNormEpsilon));
        _ff1 = AddModule("ff1", new Linear(modelDim, feedForwardDim, random));
        _gelu = AddModule("gelu", new Gelu());
        _ff2 = AddModule("ff2", new Linear(feedForwardDim, modelDim, random));
        _norm2 = AddModule("norm2", new LayerNorm(modelDim, layerNormEpsilon));
    }

    /// <summary>Model dimension d.</summary>
    public int ModelDim { get; }

    /// <summary>The self-attention sub-layer.</summary>
    public CausalSelfAttention Attention => _attention;

    /// <summary>Threads for the attention work items (see <see cref="CausalSelfAttention.MaxDegreeOfParallelism"/>).</summary>
    public int MaxDegreeOfParallelism
    {
        get => _attention.MaxDegreeOfParallelism;
        set => _attention.MaxDegreeOfParallelism = value;
    }

    /// <summary>Runs the block on <c>[batch, time, d]</c> sequences.</summary>
    /// <param name="input">The input (rank 3).</param>
    /// <returns>The output (module-owned).</returns>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, ModelDim, nameof(input));
        var a = _attention.Forward(input);
        var y = Rest(input, a);
        _hasForward = true;
        return y;
    }

    /// <summary>Runs the block on one token per slot, attending over (and appending to) <paramref name="cache"/>.</summary>
    /// <param name="input">One token per slot, <c>[slots, d]</c>.</param>
    /// <param name="cache">This block's attention cache.</param>
    /// <param name="positions">Every slot's position.</param>
    /// <returns>The output, <c>[slots, d]</c> (module-owned). A sequence <see cref="Backward"/> is invalid after this call.</returns>
    public NnTensor Step(NnTensor input, AttentionCache cache, ReadOnlySpan<int> positions)
    {
        CheckFeatures(input, ModelDim, nameof(input));
        var a = _attention.Step(input, cache, positions);
        _hasForward = false;
        return Rest(input, a);
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (!_hasForward)
        {
            throw new InvalidOperationException("TransformerDecoderBlock.Backward needs a preceding sequence Forward.");
        }

        var ds2 = _norm2.Backward(outputGradient);
        var dff = _ff1.Backward(_gelu.Backward(_ff2.Backward(ds2)));
        _gradient1.ResizeLike(ds2, ModelDim);
        TensorPrimitives.Add(ds2.Span, dff.Span, _gradient1.Span);
        var ds1 = _norm1.Backward(_gradient1);
        var dAttention = _attention.Backward(ds1);
        _inputGradient.ResizeLike(ds1, ModelDim);
        TensorPrimitives.Add(ds1.Span, dAttention.Span, _inputGradient.Span);
        return _inputGradient;
    }

    private NnTensor Rest(NnTensor input, NnTensor attention)
    {
        _sum1.ResizeLike(input, ModelDim);
        TensorPrimitives.Add(input.Span, attention.Span, _sum1.Span);
        var x1 = _norm1.Forward(_sum1);
        var f = _ff2.Forward(_gelu.Forward(_ff1.Forward(x1)));
        _sum2.ResizeLike(input, ModelDim);
        TensorPrimitives.Add(x1.Span, f.Span, _sum2.Span);
        return _norm2.Forward(_sum2);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sum1.Dispose();
            _sum2.Dispose();
            _gradient1.Dispose();
            _inputGradient.Dispose();
        }

        base.Dispose(disposing);
    }
}
