using System.Globalization;

namespace RL3.Cli;

/// <summary>
/// Parsed command line: a verb, positional arguments, <c>--name value</c> (or <c>--name=value</c>) options,
/// <c>--flag</c> switches and repeated <c>--set key=value</c>.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    private CommandLine(string verb)
    {
        Verb = verb;
    }

    public string Verb { get; }

    public List<KeyValuePair<string, string>> Settings { get; } = [];

    public List<string> Positionals { get; } = [];

    private bool _positionalsUsed;

    public static CommandLine Parse(string[] args, IReadOnlySet<string> flagNames)
    {
        if (args.Length == 0)
        {
            return new CommandLine("help");
        }

        var line = new CommandLine(args[0].ToLowerInvariant());
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                line.Positionals.Add(arg);
                continue;
            }

            if (arg.Length == 2)
            {
                throw new CliException($"unexpected argument '{arg}' (options look like --name value)");
            }

            string name = arg[2..];
            string? inlineValue = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !name.StartsWith("set", StringComparison.OrdinalIgnoreCase))
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (flagNames.Contains(name))
            {
                line._flags.Add(name);
                continue;
            }

            string value = inlineValue ?? (i + 1 < args.Length ? args[++i] : throw new CliException($"option --{name} needs a value"));
            if (name.Equals("set", StringComparison.OrdinalIgnoreCase))
            {
                int split = value.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    throw new CliException($"--set expects key=value, got '{value}'");
                }

                line.Settings.Add(new(value[..split].Trim(), value[(split + 1)..].Trim()));
                continue;
            }

            if (!line._options.TryAdd(name, value))
            {
                throw new CliException($"option --{name} given twice");
            }
        }

        return line;
    }

    /// <summary>The positional argument at <paramref name="index"/>, or null; marks positionals as accepted.</summary>
    public string? Positional(int index)
    {
        _positionalsUsed = true;
        if (Positionals.Count > index + 1)
        {
            throw new CliException($"unexpected argument '{Positionals[index + 1]}' for '{Verb}' (see 'rl3 help')");
        }

        return index < Positionals.Count ? Positionals[index] : null;
    }

    /// <summary>Whether a <c>--set</c> was given; marks the settings as accepted.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AcceptSettings()
    {
        _used.Add("set");
        return Settings;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : null;
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback, int min, int max)
    {
        string? text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new CliException($"--{name} must be an integer in [{min}, {max}], got '{text}'");
        }

        return v;
    }

    public ulong ULong(string name, ulong fallback)
    {
        string? text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v))
        {
            throw new CliException($"--{name} must be a non-negative integer, got '{text}'");
        }

        return v;
    }

    /// <summary>Throws when an option was given that the command never read.</summary>
    public void RejectUnknown()
    {
        if (!_positionalsUsed && Positionals.Count > 0)
        {
            throw new CliException($"unexpected argument '{Positionals[0]}' for '{Verb}' (options look like --name value)");
        }

        if (Settings.Count > 0 && !_used.Contains("set"))
        {
            throw new CliException($"'{Verb}' takes no --set (see 'rl3 help')");
        }

        foreach (var name in _options.Keys.Concat(_flags))
        {
            if (!_used.Contains(name))
            {
                throw new CliException($"unknown option --{name} for '{Verb}' (see 'rl3 help')");
            }
        }
    }
}
