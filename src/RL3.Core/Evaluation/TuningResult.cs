using System.Collections.Immutable;

namespace RL3.Core.Evaluation;

/// <summary>The result of a grid search over one exploration parameter on training tasks.</summary>
/// <param name="ParameterName">The parameter (for example <c>epsilon</c> or <c>c</c>).</param>
/// <param name="BestValue">The value with the highest mean training return (the first such value on ties).</param>
/// <param name="Grid">Every grid point, in the order given.</param>
/// <param name="Report">The paired training-task report the grid was read from (one method per grid value).</param>
public sealed record TuningResult(string ParameterName, double BestValue, ImmutableArray<TuningPoint> Grid, EvaluationReport Report)
{
    /// <summary>The grid point of <see cref="BestValue"/>.</summary>
    public TuningPoint Best
    {
        get
        {
            foreach (var point in Grid)
            {
                if (point.Value.Equals(BestValue))
                {
                    return point;
                }
            }

            throw new InvalidOperationException("BestValue is not on the grid.");
        }
    }
}
