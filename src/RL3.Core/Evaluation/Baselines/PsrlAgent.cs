using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>PSRL with Dirichlet transitions and Normal-Gamma rewards; see <see cref="PsrlAgentFactory"/> for when it samples and what it plans.</summary>
internal sealed class PsrlAgent(string name, PsrlOptions options) : IMetaAgent
{
    private readonly double _alpha = options.TransitionPriorConcentration;
    private readonly double _mu0 = options.RewardPriorMean;
    private readonly double _kappa0 = options.RewardPriorPseudoCount;
    private readonly double _shape0 = options.RewardPriorShape;
    private readonly double _rate0 = options.RewardPriorRate;
    private readonly bool _resampleWithinEpisodes = options.ResampleWithinEpisodes;

    private MetaEnvironment? _environment;
    private ITask? _task;
    private RandomSource? _random;
    private int _states;
    private int _actions;
    private int _taskHorizon;
    private int _budget;

    private double[] _counts = [];        // N(s,a,s')
    private double[] _rewardCount = [];   // n(s,a)
    private double[] _rewardMean = [];    // running mean of r(s,a)
    private double[] _rewardM2 = [];      // running Σ (r − mean)²
    private bool[] _absorbing = [];
    private double[] _sampledT = [];      // T̃(s'|s,a)
    private double[] _sampledR = [];      // R̃(s,a)
    private double[] _alphas = [];
    private double[] _vPrevious = [];
    private double[] _vCurrent = [];
    private double[] _plannedQ = [];      // Q_k(s,a) for k = 1..planLength at [(k−1)·S·A + s·A + a]
    private double[] _startCounts = [];   // how often each state began a task episode
    private double[] _countsAtSample = []; // n(s,a) when the current MDP was sampled (unbounded episodes)

    private int _planLength;
    private int _stepsSincePlan;
    private int _previousSampleLength;
    private int _lastState;

    public string Name => name;

    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        var task = TaskFamilyRequirements.Task(environment);
        TaskFamilyRequirements.DiscreteStates(environment.Distribution, environment.InteractionBudget, name);
        _environment = environment;
        _task = task;
        _random = random;
        int s = environment.Distribution.StateCount;
        int a = environment.ActionCount;
        _taskHorizon = environment.Distribution.TaskHorizon;
        _budget = environment.InteractionBudget;
        int maxPlan = _taskHorizon > 0 ? Math.Min(_taskHorizon, _budget) : _budget;
        if (s != _states || a != _actions || _plannedQ.Length != maxPlan * s * a)
        {
            _states = s;
            _actions = a;
            _counts = new double[s * a * s];
            _rewardCount = new double[s * a];
            _rewardMean = new double[s * a];
            _rewardM2 = new double[s * a];
            _absorbing = new bool[s];
            _sampledT = new double[s * a * s];
            _sampledR = new double[s * a];
            _alphas = new double[s];
            _vPrevious = new double[s];
            _vCurrent = new double[s];
            _plannedQ = new double[maxPlan * s * a];
            _startCounts = new double[s];
            _countsAtSample = new double[s * a];
        }
        else
        {
            Array.Clear(_counts);
            Array.Clear(_rewardCount);
            Array.Clear(_rewardMean);
            Array.Clear(_rewardM2);
            Array.Clear(_absorbing);
            Array.Clear(_startCounts);
        }

        _previousSampleLength = 0;
        SampleCount = 0;
        CountStart();
        SampleAndPlan();
    }

    public int Act(ReadOnlySpan<float> observation)
    {
        int s = _task!.StateIndex;
        if ((uint)s >= (uint)_states)
        {
            throw new InvalidOperationException($"PSRL needs discrete states in [0, {_states}); the task reported state {s}.");
        }

        _lastState = s;
        int k = _planLength - _stepsSincePlan; // steps left in the plan, ≥ 1
        int offset = ((k - 1) * _states + s) * _actions;
        return ActionSelection.ArgMaxRandomTies(_plannedQ.AsSpan(offset, _actions), _random!);
    }

    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
        int s = _lastState;
        int sa = s * _actions + action;
        int next = _environment!.LastReachedStateIndex;
        if ((uint)next < (uint)_states)
        {
            _counts[sa * _states + next]++;
            if (step.Absorbed)
            {
                _absorbing[next] = true;
            }
        }

        // Welford update of the reward statistics of (s, a).
        double n = ++_rewardCount[sa];
        double delta = step.Reward - _rewardMean[sa];
        _rewardMean[sa] += delta / n;
        _rewardM2[sa] += delta * (step.Reward - _rewardMean[sa]);

        _stepsSincePlan++;
        if (step.MetaEpisodeEnded)
        {
            return;
        }

        if (step.TaskEpisodeEnded)
        {
            CountStart();
            SampleAndPlan();
        }
        else if ((_taskHorizon == 0 || _resampleWithinEpisodes) && (n > 2 * _countsAtSample[sa] || _stepsSincePlan > _previousSampleLength))
        {
            // Within a task episode (always when episodes are unbounded): a new sample when a pair's count has doubled
            // or this sample has been followed one step longer than the previous one (TSDE, Ouyang et al. 2017).
            SampleAndPlan();
        }
    }

    /// <summary>The Normal-Gamma posterior (μ_n, κ_n, α_n, β_n) of R(s,a) (for tests).</summary>
    internal (double Mean, double PseudoCount, double Shape, double Rate) RewardPosterior(int state, int action)
    {
        int sa = state * _actions + action;
        double n = _rewardCount[sa];
        double mean = _rewardMean[sa];
        double kappa = _kappa0 + n;
        double mu = (_kappa0 * _mu0 + n * mean) / kappa;
        double shape = _shape0 + 0.5 * n;
        double rate = _rate0 + 0.5 * _rewardM2[sa] + _kappa0 * n * (mean - _mu0) * (mean - _mu0) / (2.0 * kappa);
        return (mu, kappa, shape, rate);
    }

    /// <summary>How many MDPs were sampled in this meta-episode (for tests).</summary>
    internal int SampleCount { get; private set; }

    /// <summary>N(s, a, s') (for tests).</summary>
    internal double TransitionCount(int state, int action, int next) => _counts[(state * _actions + action) * _states + next];

    /// <summary>Counts the state the task (re)started in: the restart distribution of unbounded families.</summary>
    private void CountStart()
    {
        int start = _task!.StateIndex;
        if ((uint)start < (uint)_states)
        {
            _startCounts[start]++;
        }
    }

    /// <summary>Samples an MDP from the posterior and plans the steps left in the task episode (bounded families) or meta-episode.</summary>
    private void SampleAndPlan()
    {
        int left = _budget - _environment!.StepCount;
        _planLength = _taskHorizon > 0 ? Math.Min(_taskHorizon - _environment.TaskEpisodeStepCount, left) : left;
        _previousSampleLength = _stepsSincePlan;
        _stepsSincePlan = 0;
        _rewardCount.AsSpan().CopyTo(_countsAtSample);
        SampleCount++;
        SampleMdp();
        Plan();
    }

    private void SampleMdp()
    {
        int s = _states, a = _actions;
        var random = _random!;
        for (int sa = 0; sa < s * a; sa++)
        {
            for (int y = 0; y < s; y++)
            {
                _alphas[y] = _alpha + _counts[sa * s + y];
            }

            random.NextDirichlet(_alphas, _sampledT.AsSpan(sa * s, s));

            var (mu, kappa, shape, rate) = RewardPosterior(sa / a, sa % a);
            double precision = random.NextGamma(shape) / rate;
            _sampledR[sa] = mu + random.NextGaussian() / Math.Sqrt(kappa * precision);
        }
    }

    private void Plan()
    {
        int s = _states, a = _actions;
        Array.Clear(_vPrevious);
        for (int k = 1; k <= _planLength; k++)
        {
            int block = (k - 1) * s * a;

            // Entering an absorbing state ends the task episode. A bounded plan ends with it (worth 0); an unbounded plan
            // covers the whole meta-episode, so the task restarts and the k − 1 steps left are worth V_{k−1}(start).
            double restart = _taskHorizon > 0 ? 0 : RestartValue(_vPrevious);
            for (int x = 0; x < s; x++)
            {
                double best = double.NegativeInfinity;
                for (int u = 0; u < a; u++)
                {
                    int sa = x * a + u;
                    double q = _sampledR[sa];
                    int row = sa * s;
                    for (int y = 0; y < s; y++)
                    {
                        q += _sampledT[row + y] * (_absorbing[y] ? restart : _vPrevious[y]);
                    }

                    _plannedQ[block + sa] = q;
                    best = Math.Max(best, q);
                }

                _vCurrent[x] = best;
            }

            (_vPrevious, _vCurrent) = (_vCurrent, _vPrevious);
        }
    }

    /// <summary>Σ ρ(s₀) V(s₀) over the observed start states ρ of task episodes.</summary>
    private double RestartValue(double[] value)
    {
        double total = 0, weighted = 0;
        for (int x = 0; x < _states; x++)
        {
            total += _startCounts[x];
            weighted += _startCounts[x] * value[x];
        }

        return total > 0 ? weighted / total : 0;
    }
}
