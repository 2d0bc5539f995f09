namespace RL3.Core.Evaluation.Baselines;

/// <summary>UCB1: untried arms first, then argmax of mean + c·√(ln t / n).</summary>
internal sealed class Ucb1Agent(string name, double c) : BanditAgent(name, bernoulliRewards: false)
{
    public override int Act(ReadOnlySpan<float> observation)
    {
        int untried = 0;
        for (int a = 0; a < ArmCount; a++)
        {
            untried += Pulls(a) == 0 ? 1 : 0;
        }

        if (untried > 0)
        {
            int k = Random.NextInt(untried);
            for (int a = 0; a < ArmCount; a++)
            {
                if (Pulls(a) == 0 && k-- == 0)
                {
                    return a;
                }
            }
        }

        ComputeScores(Scores);
        return ActionSelection.ArgMaxRandomTies(Scores, Random);
    }

    /// <summary>Writes the UCB1 score of every arm (+∞ for untried arms).</summary>
    internal void ComputeScores(Span<double> scores)
    {
        double logT = Math.Log(Math.Max(TotalPulls, 1));
        for (int a = 0; a < ArmCount; a++)
        {
            int n = Pulls(a);
            scores[a] = n == 0 ? double.PositiveInfinity : Mean(a) + c * Math.Sqrt(logT / n);
        }
    }
}
