namespace RL3.Core.Nn.Modules;

/// <summary>
/// GELU in its tanh form, <c>y = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c> (Hendrycks &amp; Gimpel 2016;
/// the form used by GPT-2 and by the paper's transformer), element-wise.
/// </summary>
public sealed class Gelu : Module
{
    private readonly NnTensor _input = new(0);
    private readonly NnTensor _tanh = new(0);
    private readonly NnTensor _output = new(0);
    private readonly NnTensor _inputGradient = new(0);
    private bool _hasForward;

    /// <inheritdoc/>
    public override NnTensor Forward(NnTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input.ResizeLike(input, input.Columns);
        input.Span.CopyTo(_input.Span);
        _tanh.ResizeLike(input, input.Columns);
        _output.ResizeLike(input, input.Columns);
        Activations.Gelu(_input.Span, _tanh.Span, _output.Span);
        _hasForward = true;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (!_hasForward)
        {
            throw new InvalidOperationException("Gelu.Backward called before Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        _inputGradient.ResizeLike(outputGradient, outputGradient.Columns);
        Activations.GeluBackward(_input.Span, _tanh.Span, outputGradient.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _tanh.Dispose();
            _output.Dispose();
            _inputGradient.Dispose();
        }

        base.Dispose(disposing);
    }
}
