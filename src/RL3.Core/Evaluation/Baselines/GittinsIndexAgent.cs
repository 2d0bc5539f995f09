using RL3.Core.Meta;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Pulls the arm with the largest finite-horizon Gittins index for the pulls that remain.</summary>
internal sealed class GittinsIndexAgent(string name, GittinsIndexAgentFactory factory) : BanditAgent(name, bernoulliRewards: true)
{
    private GittinsIndexTable? _table;

    public override int Act(ReadOnlySpan<float> observation)
    {
        int remaining = Budget - TotalPulls;
        for (int a = 0; a < ArmCount; a++)
        {
            Scores[a] = _table!.GetIndex(Successes(a), Failures(a), remaining);
        }

        return ActionSelection.ArgMaxRandomTies(Scores, Random);
    }

    protected override void OnBegin(MetaEnvironment environment) => _table = factory.GetTable(environment.InteractionBudget);
}
