using System.Numerics.Tensors;
using RL3.Core.Randomness;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Learned absolute positional embedding: <c>y[b, t] = x[b, t] + P[t]</c> with a trainable table
/// <c>P</c> of shape <c>[positions, features]</c>.
/// </summary>
/// <remarks>
/// <see cref="Forward"/> takes a <c>[batch, time, features]</c> sequence starting at position 0;
/// <see cref="ForwardAt"/> takes one token per row at explicit positions (incremental inference).
/// Backward: <c>∂P[t] += Σ_b ∂y[b, t]</c>, <c>∂x = ∂y</c>. Initialisation: <c>P ~ N(0, 0.02²)</c> (GPT-2).
/// </remarks>
public sealed class PositionalEmbedding : Module
{
    /// <summary>The standard deviation of the initial table entries.</summary>
    public const float InitialStandardDeviation = 0.02f;

    private readonly NnTensor _output = new(0, 0);
    private readonly NnTensor _inputGradient = new(0, 0);
    private int _batch = -1;
    private int _time;

    /// <summary>Creates the table with N(0, 0.02²) entries.</summary>
    /// <param name="positions">Number of positions (the longest sequence, ≥ 1).</param>
    /// <param name="features">Feature size (≥ 1).</param>
    /// <param name="random">Source of the initial values.</param>
    public PositionalEmbedding(int positions, int features, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentNullException.ThrowIfNull(random);
        Positions = positions;
        Features = features;
        Table = AddParameter("table", positions, features);
        var t = Table.Value.Span;
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (float)(InitialStandardDeviation * random.NextGaussian());
        }
    }

    /// <summary>Number of positions in the table.</summary>
    public int Positions { get; }

    /// <summary>Feature size.</summary>
    public int Features { get; }

    /// <summary>The table, shape <c>[Positions, Features]</c>.</summary>
    public Parameter Table { get; }

    /// <summary>Adds positions 0…T−1 to a <c>[batch, time, features]</c> input.</summary>
    /// <param name="input">The input, rank 3, time ≤ <see cref="Positions"/>.</param>
    /// <returns>The output (module-owned).</returns>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, Features, nameof(input));
        if (input.Rank != 3)
        {
            throw new ArgumentException($"PositionalEmbedding.Forward expects input of shape [batch, time, {Features}] but got {input.ShapeString()}.", nameof(input));
        }

        int batch = input.Dim(0);
        int time = input.Dim(1);
        if (time > Positions)
        {
            throw new ArgumentException($"input has {time} time steps but the table holds {Positions} positions.", nameof(input));
        }

        _output.ResizeLike(input, Features);
        var x = input.Span;
        var y = _output.Span;
        var p = Table.Value.Span.Slice(0, time * Features);
        int block = time * Features;
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(x.Slice(b * block, block), p, y.Slice(b * block, block));
        }

        _batch = batch;
        _time = time;
        return _output;
    }

    /// <summary>Adds <c>P[positions[r]]</c> to row <c>r</c> of a <c>[rows, features]</c> input (one token per row).</summary>
    /// <param name="input">The input, <c>[rows, features]</c>.</param>
    /// <param name="positions">The position of every row, each in [0, <see cref="Positions"/>).</param>
    /// <returns>The output (module-owned; a later <see cref="Backward"/> is not supported for this call).</returns>
    public NnTensor ForwardAt(NnTensor input, ReadOnlySpan<int> positions)
    {
        CheckFeatures(input, Features, nameof(input));
        int rows = input.Rows;
        if (positions.Length != rows)
        {
            throw new ArgumentException($"positions has length {positions.Length} but input has {rows} rows.", nameof(positions));
        }

        _output.ResizeLike(input, Features);
        var x = input.Span;
        var y = _output.Span;
        var table = Table.Value.Span;
        int f = Features;
        for (int r = 0; r < rows; r++)
        {
            int pos = positions[r];
            if ((uint)pos >= (uint)Positions)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), pos, $"positions[{r}] = {pos} is outside the table's [0, {Positions}) positions.");
            }

            TensorPrimitives.Add(x.Slice(r * f, f), table.Slice(pos * f, f), y.Slice(r * f, f));
        }

        _batch = -1;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (_batch < 0)
        {
            throw new InvalidOperationException("PositionalEmbedding.Backward needs a preceding sequence Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        var dy = outputGradient.Span;
        var dp = Table.Gradient.Span.Slice(0, _time * Features);
        int block = _time * Features;
        for (int b = 0; b < _batch; b++)
        {
            TensorPrimitives.Add(dp, dy.Slice(b * block, block), dp);
        }

        _inputGradient.ResizeLike(outputGradient, Features);
        dy.CopyTo(_inputGradient.Span);
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
