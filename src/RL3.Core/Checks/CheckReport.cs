namespace RL3.Core;

/// <summary>The report of a checker (<see cref="Tasks.TaskChecker.Check"/>, <see cref="Policies.PolicyChecker.Check"/>): every check's outcome, in order.</summary>
/// <param name="Kind">What was checked, in words ("Task", "Policy").</param>
/// <param name="Subject">The checked object's name (a distribution's name, a policy's type name).</param>
/// <param name="Results">The outcome of each check.</param>
public sealed record CheckReport(string Kind, string Subject, IReadOnlyList<CheckResult> Results)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>The outcome of the check called <paramref name="name"/>.</summary>
    /// <param name="name">A check name (one of the checker's <c>*Check</c> constants).</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">No check of that name was run.</exception>
    public CheckResult this[string name] =>
        Results.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No check named '{name}' in this report.");

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} check of '{Subject}': {(Passed ? "all passed" : "FAILED")}{Environment.NewLine}{string.Join(Environment.NewLine, Results)}";
}
