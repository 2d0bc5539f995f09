namespace RL3.Core.Policies;

/// <summary>The outcome of one check of <see cref="PolicyChecker"/>.</summary>
/// <param name="Name">The check's name (one of the <c>PolicyChecker.*Check</c> constants).</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Message">What was checked, or what went wrong.</param>
public sealed record PolicyCheckResult(string Name, bool Passed, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{(Passed ? "pass" : "FAIL")}] {Name}: {Message}";
}
