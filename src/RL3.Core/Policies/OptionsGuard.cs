using System.Globalization;

namespace RL3.Core.Policies;

/// <summary>Throws clear option-validation errors that name the option and its allowed range.</summary>
internal static class OptionsGuard
{
    public static void InRange(int value, int min, int max, string typeName, string field)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                "options",
                value,
                string.Create(CultureInfo.InvariantCulture, $"{typeName}.{field} must be in [{min}, {max}] but is {value}."));
        }
    }

    public static void Positive(float value, string typeName, string field)
    {
        if (!(value > 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(
                "options",
                value,
                string.Create(CultureInfo.InvariantCulture, $"{typeName}.{field} must be positive and finite but is {value}."));
        }
    }

    public static void Parallelism(int value, string typeName, string field)
    {
        if (value == 0 || value < -1)
        {
            throw new ArgumentOutOfRangeException(
                "options",
                value,
                string.Create(CultureInfo.InvariantCulture, $"{typeName}.{field} must be -1 (all cores) or at least 1 but is {value}."));
        }
    }
}
