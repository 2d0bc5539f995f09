namespace RL3.Core.Evaluation.Baselines;

/// <summary>Beta–Bernoulli Thompson sampling.</summary>
internal sealed class ThompsonSamplingAgent(string name, double alpha0, double beta0) : BanditAgent(name, bernoulliRewards: true)
{
    public override int Act(ReadOnlySpan<float> observation)
    {
        for (int a = 0; a < ArmCount; a++)
        {
            Scores[a] = Random.NextBeta(alpha0 + Successes(a), beta0 + Failures(a));
        }

        return ActionSelection.ArgMaxRandomTies(Scores, Random);
    }

    /// <summary>The posterior Beta parameters of an arm (for tests).</summary>
    internal (double Alpha, double Beta) Posterior(int arm) => (alpha0 + Successes(arm), beta0 + Failures(arm));
}
