namespace RL3.Core.Policies;

/// <summary>The report of <see cref="PolicyChecker.Check"/>: every check's outcome, in order.</summary>
/// <param name="PolicyName">The checked policy's type name.</param>
/// <param name="Results">The outcome of each check.</param>
public sealed record PolicyCheckReport(string PolicyName, IReadOnlyList<PolicyCheckResult> Results)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>The outcome of the check called <paramref name="name"/>.</summary>
    /// <param name="name">A check name (one of the <c>PolicyChecker.*Check</c> constants).</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">No check of that name was run.</exception>
    public PolicyCheckResult this[string name] =>
        Results.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No check named '{name}' in this report.");

    /// <inheritdoc />
    public override string ToString() =>
        $"Policy check of '{PolicyName}': {(Passed ? "all passed" : "FAILED")}{Environment.NewLine}{string.Join(Environment.NewLine, Results)}";
}
