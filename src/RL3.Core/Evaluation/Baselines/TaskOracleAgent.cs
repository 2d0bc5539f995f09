using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Plans with the true MDP; see <see cref="TaskOracleAgentFactory"/>.</summary>
internal sealed class TaskOracleAgent(string name) : IMetaAgent
{
    private MetaEnvironment? _environment;
    private ITabularMdp? _mdp;
    private RandomSource? _random;
    private int _states;
    private int _actions;
    private int _taskHorizon;
    private int _budget;
    private int _episodeSlots;
    private int _start;

    // Sparse true model: for (s,a) the successors rowStart[sa] .. rowStart[sa+1].
    private int[] _rowStart = [];
    private int[] _next = [];
    private double[] _probability = [];
    private bool[] _absorbing = [];
    private double[] _meanReward = [];
    private double[] _scratch = [];
    private double[] _q = [];

    // V[(m · episodeSlots + e) · S + s], m ∈ [0, H], e ∈ [0, episodeSlots): e + 1 steps left in the episode (or unbounded).
    private double[] _values = [];

    public string Name => name;

    public void BeginMetaEpisode(MetaEnvironment environment, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        TaskFamilyRequirements.Task(environment);
        var mdp = TaskFamilyRequirements.TabularMdp(environment, name);
        _environment = environment;
        _mdp = mdp;
        _random = random;
        _states = mdp.MdpStateCount;
        _actions = mdp.MdpActionCount;
        if (_actions != environment.ActionCount)
        {
            throw new ArgumentException($"The task's MDP has {_actions} actions but the environment {environment.ActionCount}.", nameof(environment));
        }

        _taskHorizon = environment.Distribution.TaskHorizon;
        _budget = environment.InteractionBudget;
        _episodeSlots = _taskHorizon > 0 ? _taskHorizon : 1;
        _start = mdp.CurrentMdpState;
        BuildModel(mdp);
        Solve();
    }

    public int Act(ReadOnlySpan<float> observation)
    {
        int m = _budget - _environment!.StepCount;
        int e = _taskHorizon > 0 ? _taskHorizon - _environment.TaskEpisodeStepCount - 1 : 0;
        int s = _mdp!.CurrentMdpState;
        var q = _q.AsSpan(0, _actions);
        for (int a = 0; a < _actions; a++)
        {
            q[a] = Q(m, e, s, a);
        }

        return ActionSelection.ArgMaxRandomTies(q, _random!);
    }

    public void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation)
    {
    }

    /// <summary>V(m, e, s) (for tests): e is the number of task-episode steps left minus one (0 when unbounded).</summary>
    internal double Value(int remainingMetaSteps, int episodeSlot, int state) =>
        _values[(((remainingMetaSteps * _episodeSlots) + episodeSlot) * _states) + state];

    private void BuildModel(ITabularMdp mdp)
    {
        int s = _states, a = _actions;
        if (_absorbing.Length != s || _rowStart.Length != s * a + 1)
        {
            _absorbing = new bool[s];
            _rowStart = new int[s * a + 1];
            _meanReward = new double[s * a];
            _scratch = new double[s];
            _q = new double[a];
        }

        for (int x = 0; x < s; x++)
        {
            _absorbing[x] = mdp.IsAbsorbing(x);
        }

        int count = 0;
        for (int x = 0; x < s; x++)
        {
            for (int u = 0; u < a; u++)
            {
                int sa = x * a + u;
                _rowStart[sa] = count;
                mdp.GetTransitionProbabilities(x, u, _scratch);
                double reward = 0;
                for (int y = 0; y < s; y++)
                {
                    double p = _scratch[y];
                    if (p > 0)
                    {
                        if (count == _next.Length)
                        {
                            Array.Resize(ref _next, Math.Max(16, count * 2));
                            Array.Resize(ref _probability, _next.Length);
                        }

                        _next[count] = y;
                        _probability[count] = p;
                        count++;
                        reward += p * mdp.ExpectedReward(x, u, y);
                    }
                }

                _meanReward[sa] = reward;
            }
        }

        _rowStart[s * a] = count;
        long size = (long)(_budget + 1) * _episodeSlots * s;
        if (_values.Length != size)
        {
            _values = new double[size];
        }
    }

    private void Solve()
    {
        int s = _states;
        Array.Clear(_values, 0, _episodeSlots * s); // m = 0
        for (int m = 1; m <= _budget; m++)
        {
            for (int e = 0; e < _episodeSlots; e++)
            {
                int row = ((m * _episodeSlots) + e) * s;
                for (int x = 0; x < s; x++)
                {
                    double best = double.NegativeInfinity;
                    for (int u = 0; u < _actions; u++)
                    {
                        best = Math.Max(best, Q(m, e, x, u));
                    }

                    _values[row + x] = best;
                }
            }
        }
    }

    // Q(m, e, s, a) from the values with m − 1 meta-steps left.
    private double Q(int m, int e, int x, int u)
    {
        int sa = x * _actions + u;
        int s = _states;
        double restart = _values[((((m - 1) * _episodeSlots) + (_episodeSlots - 1)) * s) + _start];
        bool lastEpisodeStep = _taskHorizon > 0 && e == 0;
        int continueRow = (((m - 1) * _episodeSlots) + (_taskHorizon > 0 ? e - 1 : 0)) * s;
        double q = _meanReward[sa];
        for (int k = _rowStart[sa]; k < _rowStart[sa + 1]; k++)
        {
            int y = _next[k];
            double w = lastEpisodeStep || _absorbing[y] ? restart : _values[continueRow + y];
            q += _probability[k] * w;
        }

        return q;
    }
}
