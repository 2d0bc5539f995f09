using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Creates the plain RL² meta-environment (no inner estimator) that most baselines play in.</summary>
internal static class Rl2Environments
{
    public static MetaEnvironment Create(ITaskDistribution distribution, int interactionBudget)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        TaskFamilyRequirements.Budget(interactionBudget);
        return new MetaEnvironment(distribution, new MetaEnvironmentOptions { InteractionBudget = interactionBudget });
    }
}
