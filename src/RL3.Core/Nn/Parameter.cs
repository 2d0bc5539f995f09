namespace RL3.Core.Nn;

/// <summary>
/// A trainable tensor: its <see cref="Value"/> and the <see cref="Gradient"/> of the loss with respect to it,
/// always of the same shape.
/// </summary>
/// <remarks>
/// Modules <em>accumulate</em> into <see cref="Gradient"/> during <c>Backward</c> (so several backward passes
/// before one optimiser step sum their gradients); call <see cref="ZeroGrad"/> (or <c>Module.ZeroGrad</c>)
/// before each new accumulation. The parameter owns both tensors and disposes them.
/// </remarks>
public sealed class Parameter : IDisposable
{
    /// <summary>Creates a zero-valued parameter with a zero gradient.</summary>
    /// <param name="name">The local name inside its module (for example <c>weight</c>); non-empty, no '.'.</param>
    /// <param name="shape">The shape (one to four dimensions).</param>
    public Parameter(string name, params ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A parameter name must not contain '.' (it separates module paths): '{name}'.", nameof(name));
        }

        Name = name;
        Value = new NnTensor(shape);
        Gradient = new NnTensor(shape);
    }

    /// <summary>The local name inside the owning module (full dotted names come from <c>Module.NamedParameters</c>).</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public NnTensor Value { get; }

    /// <summary>The accumulated gradient (same shape as <see cref="Value"/>).</summary>
    public NnTensor Gradient { get; }

    /// <summary>Number of scalar elements.</summary>
    public int Length => Value.Length;

    /// <summary>
    /// Whether weight decay (if the optimiser has any) applies to this parameter. Default <see langword="true"/>,
    /// matching a single Adam weight-decay setting applied to every parameter.
    /// </summary>
    public bool WeightDecay { get; set; } = true;

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGrad() => Gradient.Clear();

    /// <inheritdoc/>
    public override string ToString() => $"Parameter '{Name}' {Value.ShapeString()}";

    /// <summary>Releases both tensors.</summary>
    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
    }
}
