namespace RL3.Core.Nn;

/// <summary>
/// Base class of every layer: an explicit <see cref="Forward"/> that caches what the backward pass needs,
/// and an explicit <see cref="Backward"/> that accumulates parameter gradients and returns the input gradient.
/// </summary>
/// <remarks>
/// <para>Conventions (see <c>docs/engine.md</c>):</para>
/// <list type="bullet">
/// <item>Tensors are batch-first, row-major; a module reads the last dimension as features and treats all
/// leading dimensions as rows (<c>[batch, time, features]</c> ≡ <c>[batch·time, features]</c>).</item>
/// <item><see cref="Forward"/> returns a tensor <em>owned by the module</em>, reused (and overwritten) by the
/// next <see cref="Forward"/>; callers must not dispose it and should copy it if they need it longer.
/// Likewise the tensor returned by <see cref="Backward"/> is reused by the next <see cref="Backward"/>.</item>
/// <item><see cref="Forward"/> copies whatever it needs later into module-owned caches, so the caller may
/// modify or reuse the input tensor immediately. <see cref="Backward"/> uses the caches of the most recent
/// <see cref="Forward"/>; its output-gradient argument must have the shape of that forward's output.</item>
/// <item><see cref="Backward"/> <em>adds</em> into <see cref="Parameter.Gradient"/>; call <see cref="ZeroGrad"/>
/// before accumulating a new gradient.</item>
/// <item>Buffers grow to the largest batch seen and are then reused: steady-state calls allocate nothing.</item>
/// </list>
/// <para>Instances are not thread-safe.</para>
/// </remarks>
public abstract class Module : IDisposable
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private bool _disposed;

    /// <summary>Runs the layer on <paramref name="input"/> and caches what <see cref="Backward"/> needs.</summary>
    /// <param name="input">The input, features in the last dimension.</param>
    /// <returns>The output, owned by the module (valid until the next call of <see cref="Forward"/>).</returns>
    public abstract NnTensor Forward(NnTensor input);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (∂loss/∂output of the last <see cref="Forward"/>):
    /// adds ∂loss/∂θ into every parameter's gradient and returns ∂loss/∂input.
    /// </summary>
    /// <param name="outputGradient">The gradient with respect to the last forward output (same shape).</param>
    /// <returns>The gradient with respect to the last forward input, owned by the module (valid until the next <see cref="Backward"/>).</returns>
    public abstract NnTensor Backward(NnTensor outputGradient);

    /// <summary>This module's own parameters followed by its children's, depth-first, in registration order.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> Parameters()
    {
        foreach (var p in NamedParameters())
        {
            yield return p.Value;
        }
    }

    /// <summary>
    /// Every parameter with its dotted path (<c>child.grandchild.weight</c>), depth-first in registration order.
    /// These names are the keys of the serialization format and of optimiser state.
    /// </summary>
    /// <returns>Name/parameter pairs.</returns>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters()
    {
        foreach (var p in _parameters)
        {
            yield return new(p.Name, p);
        }

        foreach (var child in _children)
        {
            foreach (var p in child.Value.NamedParameters())
            {
                yield return new(child.Key + "." + p.Key, p.Value);
            }
        }
    }

    /// <summary>The registered child modules with their local names.</summary>
    /// <returns>Name/module pairs in registration order.</returns>
    public IReadOnlyList<KeyValuePair<string, Module>> Children() => _children;

    /// <summary>Total number of scalar parameters (this module and its children).</summary>
    public long ParameterCount
    {
        get
        {
            long n = 0;
            foreach (var p in Parameters())
            {
                n += p.Length;
            }

            return n;
        }
    }

    /// <summary>Sets every parameter gradient (this module and its children) to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Releases parameters, children and buffers. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers and returns a new zero-initialised parameter of this module.</summary>
    /// <param name="name">The local name (unique within this module, no '.').</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The parameter.</returns>
    protected Parameter AddParameter(string name, params ReadOnlySpan<int> shape)
    {
        ThrowIfNameTaken(name);
        var p = new Parameter(name, shape);
        _parameters.Add(p);
        return p;
    }

    /// <summary>Registers a child module; its parameters appear under <c>name.</c> in <see cref="NamedParameters"/>.</summary>
    /// <typeparam name="TModule">The child's type.</typeparam>
    /// <param name="name">The local name (unique within this module, no '.').</param>
    /// <param name="module">The child; this module takes ownership and disposes it.</param>
    /// <returns><paramref name="module"/>.</returns>
    protected TModule AddModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ThrowIfNameTaken(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A module name must not contain '.': '{name}'.", nameof(name));
        }

        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Releases resources; overrides must call the base implementation.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var p in _parameters)
        {
            p.Dispose();
        }

        foreach (var c in _children)
        {
            c.Value.Dispose();
        }
    }

    /// <summary>Throws when <paramref name="input"/>'s last dimension is not <paramref name="features"/>.</summary>
    /// <param name="input">The tensor to check.</param>
    /// <param name="features">The expected last dimension.</param>
    /// <param name="paramName">The argument name to report.</param>
    protected void CheckFeatures(NnTensor input, int features, string paramName)
    {
        ArgumentNullException.ThrowIfNull(input, paramName);
        if (input.Columns != features)
        {
            throw new ArgumentException(
                $"{GetType().Name} expects {paramName} with {features} features in the last dimension but got shape {input.ShapeString()}.",
                paramName);
        }
    }

    /// <summary>Throws when <paramref name="outputGradient"/> does not have the shape of the cached forward output.</summary>
    /// <param name="outputGradient">The gradient passed to <see cref="Backward"/>.</param>
    /// <param name="forwardOutput">The output of the last <see cref="Forward"/>.</param>
    protected void CheckOutputGradient(NnTensor outputGradient, NnTensor forwardOutput)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        ArgumentNullException.ThrowIfNull(forwardOutput);
        if (forwardOutput.IsDisposed || forwardOutput.Length == 0 && outputGradient.Length != 0)
        {
            throw new InvalidOperationException($"{GetType().Name}.Backward called before Forward.");
        }

        if (!outputGradient.SameShape(forwardOutput))
        {
            throw new ArgumentException(
                $"{GetType().Name}.Backward expects outputGradient of shape {forwardOutput.ShapeString()} (the last forward output) but got {outputGradient.ShapeString()}.",
                nameof(outputGradient));
        }
    }

    private void ThrowIfNameTaken(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var p in _parameters)
        {
            if (p.Name == name)
            {
                throw new ArgumentException($"{GetType().Name} already has a parameter or child named '{name}'.", nameof(name));
            }
        }

        foreach (var c in _children)
        {
            if (c.Key == name)
            {
                throw new ArgumentException($"{GetType().Name} already has a parameter or child named '{name}'.", nameof(name));
            }
        }
    }
}
