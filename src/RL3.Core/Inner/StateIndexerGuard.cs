using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RL3.Core.Inner;

/// <summary>Checks shared by the vector-state indexers.</summary>
internal static class StateIndexerGuard
{
    public static void CheckObservation(ReadOnlySpan<float> observation, int dimension, string paramName)
    {
        if (observation.Length != dimension)
        {
            ThrowLength(observation.Length, dimension, paramName);
        }

        foreach (float x in observation)
        {
            if (!float.IsFinite(x))
            {
                ThrowNotFinite(paramName);
            }
        }
    }

    [DoesNotReturn]
    public static void ThrowFull(int capacity) =>
        throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "The state indexer is full: all {0} rows are taken.", capacity));

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string paramName) =>
        throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "{0} must have length {1} (the observation size); got {2}.", paramName, expected, actual), paramName);

    [DoesNotReturn]
    private static void ThrowNotFinite(string paramName) =>
        throw new ArgumentException(paramName + " must contain only finite values (no NaN or ±∞).", paramName);
}
