using System.Collections.ObjectModel;

namespace RL3.Core.Training;

/// <summary>
/// The built-in training presets, shipped as JSON inside the library: the paper's runs (bandits H = 100 and 500,
/// random MDPs H = 100 and 500, grid worlds 11x11 H = 250 and 13x13 H = 350, each for RL² and RL³, RL³-coarse for
/// grid worlds) and small <c>-quick</c> presets that learn in minutes on two cores.
/// </summary>
public static class PresetCatalog
{
    private const string ResourcePrefix = "RL3.Core.Presets.";
    private static readonly ReadOnlyDictionary<string, string> Sources = LoadSources();

    /// <summary>The preset names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Sources.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Returns a fresh, editable copy of a built-in preset (case-insensitive name).</summary>
    /// <param name="name">The preset's name.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static TrainingPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (key, json) in Sources)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return TrainingPreset.FromJson(json);
            }
        }

        throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether a built-in preset has this name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when it exists.</returns>
    public static bool Contains(string name) => Sources.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The JSON text of a built-in preset, exactly as shipped.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The JSON.</returns>
    public static string GetJson(string name) => Get(name).ToJson();

    private static ReadOnlyDictionary<string, string> LoadSources()
    {
        var assembly = typeof(PresetCatalog).Assembly;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            sources[resource[ResourcePrefix.Length..^".json".Length]] = reader.ReadToEnd();
        }

        return new ReadOnlyDictionary<string, string>(sources);
    }
}
