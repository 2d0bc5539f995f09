using RL3.Core.Inner;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// A trivial "inner estimator" for Bernoulli bandits: Q(s, a) = posterior mean (α₀ + successes) / (α₀ + β₀ + pulls)
/// under a Beta(α₀, β₀) prior, per (state, action). With it, greedy on the observation's inner block is the classic
/// posterior-mean greedy bandit baseline. No standard errors.
/// </summary>
internal sealed class BetaPosteriorMeanEstimator : IInnerRLEstimator
{
    private readonly double _alpha0;
    private readonly double _beta0;
    private readonly int _actions;
    private readonly double[] _pulls;
    private readonly double[] _successes;

    public BetaPosteriorMeanEstimator(int stateCapacity, int actionCount, double alpha0 = 1.0, double beta0 = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        BetaPrior.Validate(alpha0, nameof(alpha0));
        BetaPrior.Validate(beta0, nameof(beta0));
        _alpha0 = alpha0;
        _beta0 = beta0;
        _actions = actionCount;
        StateCapacity = stateCapacity;
        _pulls = new double[stateCapacity * actionCount];
        _successes = new double[stateCapacity * actionCount];
    }

    public int ActionCount => _actions;

    public int StateCapacity { get; }

    public bool ProvidesStandardErrors => false;

    public void Reset(int fixedStateCount)
    {
        Array.Clear(_pulls);
        Array.Clear(_successes);
    }

    public void Observe(in InnerTransition transition)
    {
        TaskFamilyRequirements.BernoulliReward(transition.Reward, "The posterior-mean greedy baseline (Beta–Bernoulli)");
        int i = transition.State * _actions + transition.Action;
        _pulls[i]++;
        _successes[i] += transition.Reward;
    }

    public InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts)
    {
        double best = double.NegativeInfinity;
        int row = state * _actions;
        for (int a = 0; a < _actions; a++)
        {
            double n = _pulls[row + a];
            q[a] = (_alpha0 + _successes[row + a]) / (_alpha0 + _beta0 + n);
            standardErrorQ[a] = 0;
            visitCounts[a] = n;
            best = Math.Max(best, q[a]);
        }

        return new InnerValue(best, 0);
    }
}
