namespace RL3.Core.Training;

/// <summary>
/// The policy backends a run specification can name (<see cref="PolicyPreset.Backend"/>): the in-house engine, and the
/// backends that live in their own packages, found by type name when the application carries the package.
/// </summary>
public static class PolicyBackends
{
    /// <summary>The in-house float32 engine (<c>RL3.Core.Nn</c>), the default.</summary>
    public const string InHouse = "inhouse";

    /// <summary>TorchSharp (libtorch, CPU or CUDA), in the <c>RL3.Core.TorchSharp</c> package.</summary>
    public const string TorchSharp = "torchsharp";

    // Backends in other packages: name → (assembly-qualified type with a parameterless constructor, package, what else to add).
    private static readonly (string Name, string Type, string Package, string Note)[] PlugIns =
    [
        (TorchSharp, "RL3.Core.TorchSharp.TorchSharpPolicyBackend, RL3.Core.TorchSharp", "RL3.Core.TorchSharp",
            "and one libtorch package (libtorch-cpu-linux-x64, libtorch-cpu or libtorch-cuda-12.8-*); see docs/torchsharp.md"),
    ];

    /// <summary>Every backend name, the in-house one first.</summary>
    public static IReadOnlyList<string> Names { get; } = [InHouse, .. PlugIns.Select(p => p.Name)];

    /// <summary>Whether <paramref name="name"/> is a backend name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True for <see cref="InHouse"/> and every plug-in name.</returns>
    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The backend <paramref name="name"/> from its package.</summary>
    /// <param name="name">A plug-in backend name (not <see cref="InHouse"/>).</param>
    /// <returns>A new instance of the backend.</returns>
    /// <exception cref="ArgumentException">The name is not a backend.</exception>
    /// <exception cref="InvalidOperationException">The backend's package is not in the application (the message names it).</exception>
    public static IPolicyBackend Load(string name)
    {
        foreach (var p in PlugIns)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                var type = System.Type.GetType(p.Type, throwOnError: false)
                    ?? throw new InvalidOperationException($"policy.backend = {p.Name} needs the {p.Package} package in the application {p.Note}. The in-house engine (policy.backend = {InHouse}) needs nothing.");
                return (IPolicyBackend)Activator.CreateInstance(type)!;
            }
        }

        throw new ArgumentException($"policy.backend must be one of {string.Join(", ", Names)}; got '{name}'.", nameof(name));
    }

    /// <summary>
    /// The plug-in backend <paramref name="preset"/> names, or null for the in-house engine (after checking that the preset asks
    /// nothing of it the in-house engine cannot do: a device other than the CPU, a libtorch thread count).
    /// </summary>
    internal static IPolicyBackend? Resolve(PolicyPreset preset)
    {
        string backend = preset.Backend ?? string.Empty;
        if (!IsKnown(backend))
        {
            throw new ArgumentException($"policy.backend must be one of {string.Join(", ", Names)}; got '{backend}'.", nameof(preset));
        }

        if (!string.Equals(backend, InHouse, StringComparison.OrdinalIgnoreCase))
        {
            return Load(backend);
        }

        if (!string.Equals(preset.Device, "cpu", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"policy.device = '{preset.Device}' needs policy.backend = {TorchSharp}: the in-house engine runs on the CPU only.", nameof(preset));
        }

        if (preset.ThreadCount is not null)
        {
            throw new ArgumentException($"policy.threadCount is libtorch's thread count (policy.backend = {TorchSharp}); the in-house engine's parallelism is policy.gru.maxDegreeOfParallelism / policy.transformer.maxDegreeOfParallelism.", nameof(preset));
        }

        return null;
    }
}
