using System.Collections.Immutable;

namespace RL3.Core.Evaluation;

/// <summary>
/// The result of a paired evaluation: every method played the same M tasks with the same task random streams, so
/// per-task returns are paired and differences between methods have much smaller standard errors than the means.
/// </summary>
/// <param name="DistributionName">The task family.</param>
/// <param name="Split">The task split the tasks came from (<c>Test</c> for held-out evaluation, <c>Training</c> for tuning).</param>
/// <param name="InteractionBudget">H.</param>
/// <param name="TaskCount">M.</param>
/// <param name="Seed">The split's base seed.</param>
/// <param name="FirstTaskIndex">Index of the first task within the split.</param>
/// <param name="Methods">One result per method, in the order they were given.</param>
public sealed record EvaluationReport(
    string DistributionName,
    string Split,
    int InteractionBudget,
    int TaskCount,
    ulong Seed,
    long FirstTaskIndex,
    ImmutableArray<MethodResult> Methods)
{
    /// <summary>The result of the method named <paramref name="name"/>.</summary>
    /// <param name="name">The method's name.</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">No method has that name.</exception>
    public MethodResult this[string name]
    {
        get
        {
            foreach (var method in Methods)
            {
                if (method.Name == name)
                {
                    return method;
                }
            }

            throw new KeyNotFoundException($"The report has no method named '{name}'. Methods: {string.Join(", ", Methods.Select(m => m.Name))}.");
        }
    }

    /// <summary>The paired difference <paramref name="method"/> − <paramref name="baseline"/> over the tasks.</summary>
    /// <param name="method">Name of the method.</param>
    /// <param name="baseline">Name of the method it is compared with.</param>
    /// <returns>The mean per-task difference, its standard error and intervals, the paired t-test and the Wilcoxon signed-rank test.</returns>
    public PairedDifference Compare(string method, string baseline) =>
        PairedDifference.Of(method, baseline, this[method].TaskReturns.AsSpan(), this[baseline].TaskReturns.AsSpan());

    /// <summary>The paired difference of every other method against <paramref name="baseline"/>.</summary>
    /// <param name="baseline">Name of the reference method.</param>
    /// <returns>One difference per other method, in report order.</returns>
    public ImmutableArray<PairedDifference> CompareAll(string baseline)
    {
        _ = this[baseline];
        var builder = ImmutableArray.CreateBuilder<PairedDifference>(Methods.Length);
        foreach (var method in Methods)
        {
            if (method.Name != baseline)
            {
                builder.Add(Compare(method.Name, baseline));
            }
        }

        return builder.ToImmutable();
    }
}
