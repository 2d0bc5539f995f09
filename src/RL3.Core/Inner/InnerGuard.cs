using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RL3.Core.Inner;

/// <summary>Throw helpers for the inner-RL layer: keep throws (and their message formatting) out of hot loops.</summary>
internal static class InnerGuard
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> with a message naming the field and its allowed range.</summary>
    [DoesNotReturn]
    public static void ThrowOutOfRange(string paramName, object? actualValue, string field, string range) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            actualValue,
            string.Format(CultureInfo.InvariantCulture, "{0} must be in {1}; got {2}.", field, range, actualValue));

    /// <summary>Throws <see cref="ArgumentException"/> for a span of the wrong length.</summary>
    [DoesNotReturn]
    public static void ThrowLength(string paramName, int actual, int expected) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "{0} must have length {1} (the action count); got {2}.", paramName, expected, actual),
            paramName);

    /// <summary>Checks that a state row lies in [0, <paramref name="limit"/>).</summary>
    public static void CheckRow(int row, int limit, string paramName, string field)
    {
        if ((uint)row >= (uint)limit)
        {
            ThrowOutOfRange(paramName, row, field, "[0, " + limit.ToString(CultureInfo.InvariantCulture) + ")");
        }
    }

    /// <summary>Checks a span length.</summary>
    public static void CheckLength(int actual, int expected, string paramName)
    {
        if (actual != expected)
        {
            ThrowLength(paramName, actual, expected);
        }
    }
}
