using System.Globalization;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// A chain of modules: <see cref="Forward"/> feeds each output to the next module, <see cref="Backward"/>
/// runs the chain in reverse. Children are named "0", "1", … (so parameters are "0.weight", "0.bias", …).
/// </summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the chain; it takes ownership of the modules.</summary>
    /// <param name="modules">The modules, applied in order.</param>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    /// <summary>Number of modules in the chain.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    /// <param name="index">The position in the chain.</param>
    public Module this[int index] => _modules[index];

    /// <summary>Appends a module (named by its position); the chain takes ownership.</summary>
    /// <param name="module">The module.</param>
    /// <returns>This chain.</returns>
    public Sequential Add(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        AddModule(_modules.Count.ToString(CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <inheritdoc/>
    public override NnTensor Forward(NnTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        foreach (var m in _modules)
        {
            x = m.Forward(x);
        }

        return x;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var g = outputGradient;
        for (int i = _modules.Count - 1; i >= 0; i--)
        {
            g = _modules[i].Backward(g);
        }

        return g;
    }
}
