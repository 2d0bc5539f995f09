using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RL3.Core.Policies;

namespace RL3.Cli;

/// <summary>
/// The typed options the verbs share. Each parser rejects a bad value with one line that names the option, the
/// allowed range and the value given; <see cref="CliErrors"/> turns any other parse error into one line.
/// </summary>
internal static class CliOptions
{
    /// <summary>The largest task, iteration or stop-after count a command accepts.</summary>
    public const int MaxCount = 10_000_000;

    /// <summary>A free-text option such as <c>--out DIR</c>.</summary>
    public static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    /// <summary>A switch such as <c>--resume</c>.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description };

    /// <summary>A count in [1, <see cref="MaxCount"/>], such as <c>--tasks M</c>.</summary>
    public static Option<int?> Count(string name, string helpName, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= MaxCount)
            {
                return value;
            }

            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer in [1, {MaxCount}], got '{text}'"));
            return null;
        },
    };

    /// <summary><c>--seed S</c>: a non-negative 64-bit integer.</summary>
    public static Option<ulong?> Seed(string description) => new("--seed")
    {
        HelpName = "S",
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong value))
            {
                return value;
            }

            result.AddError($"--seed must be a non-negative integer, got '{text}'");
            return null;
        },
    };

    /// <summary><c>--selection greedy|sample</c> (alias <c>stochastic</c>).</summary>
    public static Option<ActionSelection?> Selection(string description) => new("--selection")
    {
        HelpName = "greedy|sample",
        Description = description,
        CustomParser = result =>
        {
            try
            {
                return EvaluateCommand.ParseSelection(result.Tokens[0].Value);
            }
            catch (CliException ex)
            {
                result.AddError(ex.Message);
                return null;
            }
        },
    };

    /// <summary>Repeated <c>--set key=value</c> preset overrides, in the order given (key and value trimmed).</summary>
    public static Option<IReadOnlyList<KeyValuePair<string, string>>> Settings(string description) => new("--set")
    {
        HelpName = "key=value",
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
        CustomParser = ParseSettings,
    };

    private static IReadOnlyList<KeyValuePair<string, string>> ParseSettings(ArgumentResult result)
    {
        var settings = new List<KeyValuePair<string, string>>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            string text = token.Value;
            int split = text.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                result.AddError($"--set expects key=value, got '{text}'");
                return settings;
            }

            settings.Add(new(text[..split].Trim(), text[(split + 1)..].Trim()));
        }

        return settings;
    }
}
