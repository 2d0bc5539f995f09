using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Tasks;

namespace RL3.Cli;

/// <summary>The classical baselines <c>rl3 compare</c> runs: every one that applies to the family and H.</summary>
internal static class Baselines
{
    public static IReadOnlyList<IMetaAgentFactory> For(ITaskDistribution distribution, int interactionBudget)
    {
        IMetaAgentFactory[] candidates =
        [
            new RandomAgentFactory(),
            new EpsilonGreedyAgentFactory(0, GreedyValueSource.ModelBasedValueIteration, "greedy (inner Q)"),
            new Ucb1AgentFactory(),
            new ThompsonSamplingAgentFactory(),
            new GittinsIndexAgentFactory(),
            new PsrlAgentFactory(),
            new TaskOracleAgentFactory(),
        ];
        var applicable = new List<IMetaAgentFactory>();
        foreach (var factory in candidates)
        {
            try
            {
                factory.EnsureSupports(distribution, interactionBudget);
                applicable.Add(factory);
            }
            catch (ArgumentException)
            {
                // Not for this family (e.g. Gittins on grid worlds).
            }
        }

        return applicable;
    }
}
