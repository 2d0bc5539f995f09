namespace RL3.Core.Tasks;

/// <summary>The report of <see cref="TaskChecker.Check"/>: every check's outcome, in order.</summary>
/// <param name="DistributionName">The checked distribution's name.</param>
/// <param name="Results">The outcome of each check.</param>
public sealed record TaskCheckReport(string DistributionName, IReadOnlyList<TaskCheckResult> Results)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed
    {
        get
        {
            foreach (var result in Results)
            {
                if (!result.Passed)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The outcome of the check called <paramref name="name"/>.</summary>
    /// <param name="name">A check name (one of the <c>TaskChecker.*Check</c> constants).</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">No check of that name was run.</exception>
    public TaskCheckResult this[string name]
    {
        get
        {
            foreach (var result in Results)
            {
                if (result.Name == name)
                {
                    return result;
                }
            }

            throw new KeyNotFoundException($"No check named '{name}' in this report.");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Task check of '{DistributionName}': {(Passed ? "all passed" : "FAILED")}{Environment.NewLine}{string.Join(Environment.NewLine, Results)}";
}
