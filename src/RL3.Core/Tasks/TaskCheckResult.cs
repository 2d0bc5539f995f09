namespace RL3.Core.Tasks;

/// <summary>The outcome of one check of <see cref="TaskChecker"/>.</summary>
/// <param name="Name">The check's name (one of the <c>TaskChecker.*Check</c> constants).</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Message">What was checked, or what went wrong.</param>
public sealed record TaskCheckResult(string Name, bool Passed, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{(Passed ? "pass" : "FAIL")}] {Name}: {Message}";
}
