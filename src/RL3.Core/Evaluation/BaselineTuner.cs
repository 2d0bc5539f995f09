using System.Collections.Immutable;
using System.Globalization;
using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// Grid search of a baseline's exploration parameter (ε for ε-greedy, c for UCB1, …) on TRAINING tasks only: the
/// grid is evaluated as one paired comparison on <see cref="TaskSplit.Training"/> tasks, whose seeds are disjoint
/// from every test task's seed, so a tuned value never saw a test task.
/// </summary>
public static class BaselineTuner
{
    /// <summary>Evaluates <paramref name="createMethod"/>(v) for every v in <paramref name="values"/> on training tasks and returns the best value and the whole grid.</summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="parameterName">The parameter's name (for reports).</param>
    /// <param name="values">The grid (at least one value, distinct).</param>
    /// <param name="createMethod">Creates the method for one parameter value (its constructor validates the value).</param>
    /// <param name="options">M, H, seed and threads of the training evaluation. <see cref="EvaluationOptions.Seed"/> is the base seed of the split; the tasks come from its training half.</param>
    /// <returns>The best value (highest mean training return; the first on ties) and the grid.</returns>
    /// <exception cref="ArgumentException">An empty or repeated grid, or a method that does not support the family.</exception>
    public static TuningResult GridSearch(ITaskDistribution distribution, string parameterName, IReadOnlyList<double> values, Func<double, IMetaAgentFactory> createMethod, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(createMethod);
        ArgumentNullException.ThrowIfNull(options);
        if (values.Count == 0)
        {
            throw new ArgumentException("values must contain at least one grid value.", nameof(values));
        }

        var methods = new IMetaAgentFactory[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            var factory = createMethod(values[i]) ?? throw new ArgumentException($"createMethod returned null for {values[i]}.", nameof(createMethod));
            methods[i] = new RenamedFactory(factory, string.Create(CultureInfo.InvariantCulture, $"{parameterName}={values[i]:R}"));
        }

        var report = new MetaEvaluator(options).Evaluate(distribution, methods, TaskSplit.Training);
        var grid = ImmutableArray.CreateBuilder<TuningPoint>(values.Count);
        int best = 0;
        for (int i = 0; i < values.Count; i++)
        {
            var result = report.Methods[i];
            grid.Add(new TuningPoint(values[i], result.Mean, result.StandardError));
            if (result.Mean > report.Methods[best].Mean)
            {
                best = i;
            }
        }

        return new TuningResult(parameterName, values[best], grid.MoveToImmutable(), report);
    }

    private sealed class RenamedFactory(IMetaAgentFactory inner, string name) : IMetaAgentFactory
    {
        public string Name => name;

        public void EnsureSupports(ITaskDistribution distribution, int interactionBudget) => inner.EnsureSupports(distribution, interactionBudget);

        public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => inner.CreateEnvironment(distribution, interactionBudget);

        public IMetaAgent CreateAgent() => inner.CreateAgent();
    }
}
