using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// Shared bookkeeping of the multi-armed bandit baselines: pulls, reward sums and successes per arm, reset at
/// every meta-episode. Each meta-step is one pull (task horizon 1).
/// </summary>
internal abstract class BanditAgent(string name, bool bernoulliRewards) : IMetaAgent
{
    private int[] _pulls = [];
    private double[] _rewardSums = [];
    private int[] _successes = [];

    public string Name => name;

    /// <summary>Number of arms k.</summary>
    protected int ArmCount { get; private set; }

    /// <summary>Total pulls so far in this meta-episode (t).</summary>
    protected int TotalPulls { get; private set; }

    /// <summary>H.</summary>
    protected int Budget { get; private set; }

    /// <summary>The agent's random stream.</summary>
    protected RandomSource Random { get; private set; } = null!;

    /// <summary>Scratch of length k for scores.</summary>
    protected double[] Scores { get; private set; } = [];

    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        TaskFamilyRequirements.Bandit(environment.Distribution, environment.InteractionBudget, name);
        int k = environment.ActionCount;
        if (_pulls.Length != k)
        {
            _pulls = new int[k];
            _rewardSums = new double[k];
            _successes = new int[k];
            Scores = new double[k];
        }
        else
        {
            Array.Clear(_pulls);
            Array.Clear(_rewardSums);
            Array.Clear(_successes);
        }

        ArmCount = k;
        TotalPulls = 0;
        Budget = environment.InteractionBudget;
        Random = random;
        OnBegin(environment);
    }

    public abstract int Act(ReadOnlySpan<float> observation);

    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
        double r = step.Reward;
        if (bernoulliRewards)
        {
            TaskFamilyRequirements.BernoulliReward(r, name);
            _successes[action] += r == 1.0 ? 1 : 0;
        }

        _pulls[action]++;
        _rewardSums[action] += r;
        TotalPulls++;
    }

    /// <summary>Pulls of an arm.</summary>
    protected int Pulls(int arm) => _pulls[arm];

    /// <summary>Successes (rewards of 1) of an arm (Bernoulli agents only).</summary>
    protected int Successes(int arm) => _successes[arm];

    /// <summary>Failures of an arm (Bernoulli agents only).</summary>
    protected int Failures(int arm) => _pulls[arm] - _successes[arm];

    /// <summary>Empirical mean reward of an arm (0 when never pulled).</summary>
    protected double Mean(int arm) => _pulls[arm] == 0 ? 0.0 : _rewardSums[arm] / _pulls[arm];

    /// <summary>Hook for subclasses at the start of a meta-episode.</summary>
    protected virtual void OnBegin(MetaEnvironment environment)
    {
    }
}
