using System.Numerics.Tensors;
using RL3.Core.Randomness;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Fully connected layer <c>y = x·W + b</c> with <c>W</c> stored <c>[in, out]</c> (row-major; the Keras kernel
/// layout) and <c>b</c> of length <c>out</c>. Applies to the last dimension of any input.
/// </summary>
/// <remarks>
/// Backward: <c>∂W += xᵀ·∂y</c>, <c>∂b += Σ_rows ∂y</c>, <c>∂x = ∂y·Wᵀ</c> (three <see cref="Gemm"/> calls
/// with the N/T variants). Initialisation: Glorot-uniform weights, zero bias.
/// </remarks>
public sealed class Linear : Module
{
    private readonly NnTensor _input = new(0, 0);
    private readonly NnTensor _output = new(0, 0);
    private readonly NnTensor _inputGradient = new(0, 0);
    private bool _hasForward;

    /// <summary>Creates the layer with Glorot-uniform weights and a zero bias.</summary>
    /// <param name="inFeatures">Input features (≥ 1).</param>
    /// <param name="outFeatures">Output features (≥ 1).</param>
    /// <param name="random">Source of the initial weights.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    public Linear(int inFeatures, int outFeatures, RandomSource random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = AddParameter("weight", inFeatures, outFeatures);
        Init.GlorotUniform(Weight.Value.Span, inFeatures, outFeatures, random);
        if (bias)
        {
            Bias = AddParameter("bias", outFeatures);
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, shape <c>[InFeatures, OutFeatures]</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, shape <c>[OutFeatures]</c>, or <see langword="null"/> when the layer has none.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, InFeatures, nameof(input));
        _input.ResizeLike(input, InFeatures);
        input.Span.CopyTo(_input.Span);
        _output.ResizeLike(input, OutFeatures);
        int rows = input.Rows;
        float beta = 0f;
        if (Bias is not null)
        {
            var b = Bias.Value.Span;
            var y = _output.Span;
            for (int r = 0; r < rows; r++)
            {
                b.CopyTo(y.Slice(r * OutFeatures, OutFeatures));
            }

            beta = 1f;
        }

        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, OutFeatures, InFeatures, 1f,
            _input.Span, InFeatures, Weight.Value.Span, OutFeatures, beta, _output.Span, OutFeatures);
        _hasForward = true;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (!_hasForward)
        {
            throw new InvalidOperationException("Linear.Backward called before Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        int rows = outputGradient.Rows;
        var dy = outputGradient.Span;

        // ∂W += xᵀ·∂y   ([in, rows]·[rows, out])
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, InFeatures, OutFeatures, rows, 1f,
            _input.Span, InFeatures, dy, OutFeatures, 1f, Weight.Gradient.Span, OutFeatures);

        if (Bias is not null)
        {
            var db = Bias.Gradient.Span;
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(db, dy.Slice(r * OutFeatures, OutFeatures), db);
            }
        }

        // ∂x = ∂y·Wᵀ   ([rows, out]·[out, in])
        _inputGradient.ResizeLike(outputGradient, InFeatures);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows, InFeatures, OutFeatures, 1f,
            dy, OutFeatures, Weight.Value.Span, OutFeatures, 0f, _inputGradient.Span, InFeatures);
        return _inputGradient;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _output.Dispose();
            _inputGradient.Dispose();
        }

        base.Dispose(disposing);
    }
}
