namespace RL3.Core;

/// <summary>The outcome of one check of a checker (<see cref="Tasks.TaskChecker"/>, <see cref="Policies.PolicyChecker"/>).</summary>
/// <param name="Name">The check's name (one of the checker's <c>*Check</c> constants).</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Message">What was checked, or what went wrong.</param>
public sealed record CheckResult(string Name, bool Passed, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{(Passed ? "pass" : "FAIL")}] {Name}: {Message}";

    /// <summary>Runs one check: passed with the message it returns, failed with the message of what it threw.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="check">The check; returns what was checked, throws <see cref="CheckFailedException"/> (via <see cref="Fail"/>) when it finds a problem.</param>
    /// <returns>The outcome (never throws: whatever the checked user code throws becomes a failed check).</returns>
    internal static CheckResult Run(string name, Func<string> check)
    {
        try
        {
            return new CheckResult(name, true, check());
        }
        catch (CheckFailedException e)
        {
            return new CheckResult(name, false, e.Message);
        }
#pragma warning disable CA1031 // A checker reports whatever the user's code throws instead of crashing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new CheckResult(name, false, $"threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Ends the running check as failed with <paramref name="message"/>.</summary>
    /// <param name="message">What went wrong.</param>
    internal static void Fail(string message) => throw new CheckFailedException(message);

    /// <summary>A problem a check found (as opposed to an exception thrown by the checked code).</summary>
    internal sealed class CheckFailedException(string message) : Exception(message)
    {
    }
}
