using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RL3.Core;

/// <summary>
/// The library's argument checks and throw helpers (one place for every layer; throws stay out of hot loops).
/// </summary>
/// <remarks>
/// One convention: the checked value first, then its limits, then <c>paramName</c> (what
/// <see cref="ArgumentException.ParamName"/> reports), then, optionally, <c>name</c>: how the message names the value
/// when that differs from the parameter (an option <c>GruPolicyOptions.HiddenSize</c> of the parameter <c>options</c>,
/// a field <c>transition.State</c>). Messages read <c>{name} must be {rule} but is {value}.</c>
/// </remarks>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(int value, int min, int max, string paramName, string? name = null)
    {
        if (value < min || value > max)
        {
            ThrowRange(value, min, max, paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(double value, double min, double max, string paramName, string? name = null)
    {
        if (!(value >= min && value <= max) || !double.IsFinite(value))
        {
            ThrowOutOfRange(value, Invariant($"a finite number in [{min}, {max}]"), paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a row or index in [0, <paramref name="count"/>).</summary>
    public static void Index(int value, int count, string paramName, string? name = null)
    {
        if ((uint)value >= (uint)count)
        {
            ThrowIndex(value, count, paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    public static void AtLeast(int value, int min, string paramName, string? name = null)
    {
        if (value < min)
        {
            ThrowOutOfRange(value, Invariant($"at least {min}"), paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number at least <paramref name="min"/>.</summary>
    public static void AtLeast(double value, double min, string paramName, string? name = null)
    {
        if (!(value >= min) || !double.IsFinite(value))
        {
            ThrowOutOfRange(value, Invariant($"a finite number ≥ {min}"), paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void Positive(double value, string paramName, string? name = null)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowOutOfRange(value, "a finite number greater than 0", paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    public static void Finite(double value, string paramName, string? name = null)
    {
        if (!double.IsFinite(value))
        {
            ThrowOutOfRange(value, "a finite number", paramName, name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is −1 (all cores) or at least 1 (a degree of parallelism).</summary>
    public static void Parallelism(int value, string paramName, string? name = null)
    {
        if (value == 0 || value < -1)
        {
            ThrowOutOfRange(value, "-1 (all cores) or at least 1", paramName, name);
        }
    }

    /// <summary>Throws unless a span has exactly the expected length.</summary>
    /// <param name="length">The span's length.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="paramName">The span parameter.</param>
    /// <param name="meaning">What the required length is (for example <c>the action count</c>), or null.</param>
    public static void Length(int length, int expected, string paramName, string? meaning = null)
    {
        if (length != expected)
        {
            ThrowLength(length, expected, paramName, meaning);
        }
    }

    /// <summary>Throws unless <paramref name="values"/> has length <paramref name="expected"/> and holds only finite values.</summary>
    public static void FiniteValues(ReadOnlySpan<float> values, int expected, string paramName, string? meaning = null)
    {
        Length(values.Length, expected, paramName, meaning);
        foreach (float x in values)
        {
            if (!float.IsFinite(x))
            {
                ThrowNotFinite(paramName);
            }
        }
    }

    /// <summary>Throws unless an episode is running (reset and not yet ended).</summary>
    public static void EpisodeRunning(bool started, bool ended)
    {
        if (!started || ended)
        {
            ThrowNotRunning(started);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>: <c>{name} must be {rule} but is {value}.</c></summary>
    /// <param name="value">The rejected value.</param>
    /// <param name="rule">What is allowed, as it reads after "must be" (for example <c>in [0, 1]</c>).</param>
    /// <param name="paramName">The parameter.</param>
    /// <param name="name">How the message names the value; null for <paramref name="paramName"/>.</param>
    [DoesNotReturn]
    public static void ThrowOutOfRange(object? value, string rule, string paramName, string? name = null) =>
        throw new ArgumentOutOfRangeException(paramName, value, Invariant($"{name ?? paramName} must be {rule} but is {value}."));

    /// <summary>Throws the error of a state indexer whose rows are all taken.</summary>
    [DoesNotReturn]
    public static void ThrowStateIndexerFull(int capacity) =>
        throw new InvalidOperationException(Invariant($"The state indexer is full: all {capacity} rows are taken."));

    [DoesNotReturn]
    private static void ThrowRange(int value, int min, int max, string paramName, string? name) =>
        ThrowOutOfRange(value, Invariant($"in [{min}, {max}]"), paramName, name);

    [DoesNotReturn]
    private static void ThrowIndex(int value, int count, string paramName, string? name) =>
        ThrowOutOfRange(value, Invariant($"in [0, {count})"), paramName, name);

    [DoesNotReturn]
    private static void ThrowLength(int length, int expected, string paramName, string? meaning) =>
        throw new ArgumentException(
            Invariant($"{paramName} must have length {expected}{(meaning is null ? "" : " (" + meaning + ")")} but has {length}."), paramName);

    [DoesNotReturn]
    private static void ThrowNotFinite(string paramName) =>
        throw new ArgumentException(paramName + " must contain only finite values (no NaN or ±∞).", paramName);

    [DoesNotReturn]
    private static void ThrowNotRunning(bool started) =>
        throw new InvalidOperationException(started
            ? "The episode has ended; call Reset before stepping again."
            : "The task has not been reset; call Reset before Step.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
