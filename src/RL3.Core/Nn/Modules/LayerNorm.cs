using System.Numerics.Tensors;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Layer normalisation over the last dimension (Ba, Kiros &amp; Hinton 2016):
/// <c>y = γ ⊙ (x − μ) / √(σ² + ε) + β</c> with μ, σ² the mean and (biased) variance of each row.
/// </summary>
/// <remarks>
/// Backward, per row with <c>x̂ = (x − μ)·r</c>, <c>r = 1/√(σ² + ε)</c>, <c>g = ∂y ⊙ γ</c>:
/// <c>∂γ += ∂y ⊙ x̂</c>, <c>∂β += ∂y</c>, <c>∂x = r·(g − mean(g) − x̂·mean(g ⊙ x̂))</c>.
/// Initialisation: γ = 1, β = 0.
/// </remarks>
public sealed class LayerNorm : Module
{
    private readonly NnTensor _normalised = new(0, 0);
    private readonly NnTensor _inverseStd = new(0);
    private readonly NnTensor _output = new(0, 0);
    private readonly NnTensor _inputGradient = new(0, 0);
    private readonly float[] _scratch;
    private bool _hasForward;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    /// <param name="features">Size of the normalised (last) dimension (≥ 1).</param>
    /// <param name="epsilon">Added to the variance (default 1e-5); must be positive.</param>
    public LayerNorm(int features, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (!(epsilon > 0f) || float.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        Features = features;
        Epsilon = epsilon;
        Gamma = AddParameter("gamma", features);
        Gamma.Value.Fill(1f);
        Beta = AddParameter("beta", features);
        _scratch = new float[features];
    }

    /// <summary>Size of the normalised dimension.</summary>
    public int Features { get; }

    /// <summary>The variance offset ε.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ, shape <c>[Features]</c>.</summary>
    public Parameter Gamma { get; }

    /// <summary>The shift β, shape <c>[Features]</c>.</summary>
    public Parameter Beta { get; }

    /// <inheritdoc/>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, Features, nameof(input));
        int rows = input.Rows;
        int f = Features;
        _normalised.ResizeLike(input, f);
        _output.ResizeLike(input, f);
        _inverseStd.Resize(rows);
        var x = input.Span;
        var xh = _normalised.Span;
        var y = _output.Span;
        var rs = _inverseStd.Span;
        var gamma = Gamma.Value.Span;
        var beta = Beta.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * f, f);
            var xhr = xh.Slice(r * f, f);
            float mean = TensorPrimitives.Sum(xr) / f;
            TensorPrimitives.Subtract(xr, mean, xhr);
            float variance = TensorPrimitives.SumOfSquares(xhr) / f;
            float inv = 1f / MathF.Sqrt(variance + Epsilon);
            rs[r] = inv;
            TensorPrimitives.Multiply(xhr, inv, xhr);
            TensorPrimitives.FusedMultiplyAdd(xhr, gamma, beta, y.Slice(r * f, f));
        }

        _hasForward = true;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (!_hasForward)
        {
            throw new InvalidOperationException("LayerNorm.Backward called before Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        int rows = outputGradient.Rows;
        int f = Features;
        _inputGradient.ResizeLike(outputGradient, f);
        var dy = outputGradient.Span;
        var xh = _normalised.Span;
        var dx = _inputGradient.Span;
        var rs = _inverseStd.Span;
        var gamma = Gamma.Value.Span;
        var dGamma = Gamma.Gradient.Span;
        var dBeta = Beta.Gradient.Span;
        var g = _scratch.AsSpan();
        for (int r = 0; r < rows; r++)
        {
            var dyr = dy.Slice(r * f, f);
            var xhr = xh.Slice(r * f, f);
            var dxr = dx.Slice(r * f, f);
            TensorPrimitives.FusedMultiplyAdd(dyr, xhr, dGamma, dGamma);
            TensorPrimitives.Add(dBeta, dyr, dBeta);
            TensorPrimitives.Multiply(dyr, gamma, g);
            float meanG = TensorPrimitives.Sum(g) / f;
            float meanGx = TensorPrimitives.Dot(g, xhr) / f;

            // ∂x = r·(g − meanG − x̂·meanGx)
            TensorPrimitives.MultiplyAdd(xhr, -meanGx, g, dxr);
            TensorPrimitives.Subtract(dxr, meanG, dxr);
            TensorPrimitives.Multiply(dxr, rs[r], dxr);
        }

        return _inputGradient;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _normalised.Dispose();
            _inverseStd.Dispose();
            _output.Dispose();
            _inputGradient.Dispose();
        }

        base.Dispose(disposing);
    }
}
