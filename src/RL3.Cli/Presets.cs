using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>Looks up presets and applies <c>--set key=value</c> overrides with one-line errors.</summary>
internal static class Presets
{
    public static TrainingPreset Get(string name)
    {
        if (!PresetCatalog.Contains(name))
        {
            throw new CliException($"unknown preset '{name}'; presets: {string.Join(", ", PresetCatalog.Names)}");
        }

        return PresetCatalog.Get(name);
    }

    public static void Apply(TrainingPreset preset, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            Set(preset, key, value);
        }
    }

    public static void Set(TrainingPreset preset, string key, string value)
    {
        try
        {
            preset.Set(key, value);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"--set {key}={value}: {FirstSentence(ex.Message)}");
        }
    }

    public static void Validate(TrainingPreset preset) => Validate(preset, []);

    /// <summary>
    /// Validates <paramref name="preset"/>; when the rejected value came from a <c>--set</c> in
    /// <paramref name="settings"/>, the line names that key and the value given (the last such setting wins).
    /// </summary>
    public static void Validate(TrainingPreset preset, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        try
        {
            preset.Validate();
        }
        catch (ArgumentException ex)
        {
            string reason = FirstSentence(ex.Message);
            for (int i = settings.Count - 1; i >= 0; i--)
            {
                var (key, value) = settings[i];
                if (Blames(key, ex.ParamName, reason))
                {
                    throw new CliException($"invalid preset '{preset.Name}': --set {key}={value} rejected: {reason}");
                }
            }

            throw new CliException($"invalid preset '{preset.Name}': {reason}");
        }
    }

    /// <summary>Whether the rejection (parameter <paramref name="parameter"/>, text <paramref name="reason"/>) is about <paramref name="key"/>.</summary>
    private static bool Blames(string key, string? parameter, string reason)
    {
        int dot = key.LastIndexOf('.');
        string leaf = dot >= 0 ? key[(dot + 1)..] : key;
        return reason.Contains(key, StringComparison.OrdinalIgnoreCase)
            || (parameter is not null && leaf.Equals(parameter, StringComparison.OrdinalIgnoreCase));
    }

    public static TrainingPreset Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{path}': {ex.Message}");
        }

        try
        {
            return TrainingPreset.FromJson(json);
        }
        catch (FormatException ex)
        {
            throw new CliException($"'{path}' is not a valid preset: {FirstSentence(ex.Message)}");
        }
    }

    /// <summary>Exception messages of ArgumentException end with " (Parameter 'x')"; keep one clean line.</summary>
    internal static string FirstSentence(string message)
    {
        int p = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        string s = p >= 0 ? message[..p] : message;
        int path = s.IndexOf(" Path: $", StringComparison.Ordinal);
        s = path >= 0 ? s[..path] : s;
        int nl = s.IndexOfAny(['\r', '\n']);
        return (nl >= 0 ? s[..nl] : s).Trim();
    }
}
