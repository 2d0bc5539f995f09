namespace RL3.Core.Nn.Modules;

/// <summary>Rectified linear unit <c>y = max(x, 0)</c>, element-wise. The derivative at 0 is taken as 0.</summary>
public sealed class Relu : Module
{
    private readonly NnTensor _output = new(0);
    private readonly NnTensor _inputGradient = new(0);
    private bool _hasForward;

    /// <inheritdoc/>
    public override NnTensor Forward(NnTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _output.ResizeLike(input, input.Columns);
        Activations.Relu(input.Span, _output.Span);
        _hasForward = true;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (!_hasForward)
        {
            throw new InvalidOperationException("Relu.Backward called before Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        _inputGradient.ResizeLike(outputGradient, outputGradient.Columns);
        Activations.ReluBackward(_output.Span, outputGradient.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _output.Dispose();
            _inputGradient.Dispose();
        }

        base.Dispose(disposing);
    }
}
