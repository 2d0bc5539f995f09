using Microsoft.Extensions.Options;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Validates one options type of the RL3 engines by running its own <c>Validate()</c> (the single source of the rules) and
/// turning the exception into a <see cref="ValidateOptionsResult"/> whose message names the type, the field and the allowed range.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class RL3OptionsValidator<TOptions>(string sectionPath, Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(Describe(typeof(TOptions).Name, sectionPath, ex));
        }
    }

    /// <summary>Formats an engine's validation exception as "Type.Field …range… (actual value: x; configuration section RL3:Sub)".</summary>
    internal static string Describe(string typeName, string sectionPath, ArgumentException ex)
    {
        string message = ex.Message;
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        if (newline >= 0)
        {
            message = message[..newline].TrimEnd('\r');
        }

        string suffix = $" (Parameter '{ex.ParamName}')";
        if (ex.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal))
        {
            message = message[..^suffix.Length];
        }

        if (!message.StartsWith(typeName + ".", StringComparison.Ordinal))
        {
            message = $"{typeName}.{message}";
        }

        string actual = ex is ArgumentOutOfRangeException { ActualValue: { } value }
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"actual value: {value}; ")
            : string.Empty;
        return $"{message} ({actual}configuration section {sectionPath})";
    }
}
