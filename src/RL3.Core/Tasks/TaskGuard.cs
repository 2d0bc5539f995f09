using System.Diagnostics.CodeAnalysis;

namespace RL3.Core.Tasks;

/// <summary>Argument checks and throw helpers shared by the built-in tasks (keeps throws out of hot paths).</summary>
internal static class TaskGuard
{
    /// <summary>Throws unless <paramref name="action"/> is in [0, <paramref name="actionCount"/>).</summary>
    public static void Action(int action, int actionCount)
    {
        if ((uint)action >= (uint)actionCount)
        {
            ThrowAction(action, actionCount);
        }
    }

    /// <summary>Throws unless <paramref name="state"/> is in [0, <paramref name="stateCount"/>).</summary>
    public static void State(int state, int stateCount, string paramName)
    {
        if ((uint)state >= (uint)stateCount)
        {
            ThrowState(state, stateCount, paramName);
        }
    }

    /// <summary>Throws unless the span has exactly the expected length.</summary>
    public static void Length(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            ThrowLength(length, expected, paramName);
        }
    }

    /// <summary>Throws unless an episode is running.</summary>
    public static void Running(bool started, bool ended)
    {
        if (!started || ended)
        {
            ThrowNotRunning(started);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(int value, int min, int max, string paramName)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be in [{min}, {max}].");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(double value, double min, double max, string paramName)
    {
        if (!(value >= min && value <= max) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number in [{min}, {max}].");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    public static void AtLeast(int value, int min, string paramName)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be at least {min}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number at least <paramref name="min"/>.</summary>
    public static void AtLeast(double value, double min, string paramName)
    {
        if (!(value >= min) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number ≥ {min}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void Positive(double value, string paramName)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number greater than 0.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    public static void Finite(double value, string paramName)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number.");
        }
    }

    [DoesNotReturn]
    private static void ThrowAction(int action, int actionCount) =>
        throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in [0, {actionCount - 1}].");

    [DoesNotReturn]
    private static void ThrowState(int state, int stateCount, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, state, $"{paramName} must be in [0, {stateCount - 1}].");

    [DoesNotReturn]
    private static void ThrowLength(int length, int expected, string paramName) =>
        throw new ArgumentException($"{paramName} must have length {expected} (got {length}).", paramName);

    [DoesNotReturn]
    private static void ThrowNotRunning(bool started) =>
        throw new InvalidOperationException(started
            ? "The episode has ended; call Reset before stepping again."
            : "The task has not been reset; call Reset before Step.");
}
