using System.Text;
using RL3.Core.Randomness;

namespace RL3.Core.Tasks.GridWorlds;

/// <summary>
/// One grid world (RL³ paper §5): the agent starts on 'S', moves with the five <see cref="GridWorldAction"/>s
/// and the episode ends on entering the goal 'G' or a danger 'X'. Tiles and rewards: <see cref="GridWorldTiles"/>.
/// </summary>
/// <remarks>
/// <para>Dynamics: a move goes to the intended cell with probability 1 − p and to each of the two perpendicular
/// cells with p/2 (never backwards), where p is <see cref="SlipProbability"/> on start, empty and warning tiles and
/// <see cref="WaterSlipProbability"/> on water. Probability mass toward an obstacle or off the grid stays on the
/// current cell. Noop always stays. Every transition pays the entering reward of the cell it ends on (so staying
/// pays the current tile's reward). Goal and danger cells are absorbing self-loops paying 0; obstacle cells are
/// unreachable self-loops paying 0.</para>
/// <para>Observation: ((row + 1) / rows, (column + 1) / columns) with zero-based row and column, i.e. the
/// one-based position scaled into (0, 1] as in the reference code. <see cref="StateIndex"/> is −1 (continuous
/// observations); the true cell-state MDP (cell = row · columns + column) is available through
/// <see cref="ITabularMdp"/>. The task has no horizon of its own and never truncates.</para>
/// <para>Each step consumes exactly one uniform draw from the random source given to <see cref="Reset"/>.</para>
/// </remarks>
public sealed class GridWorldTask : ITask, ITabularMdp
{
    /// <summary>The number of actions (noop, N, E, S, W).</summary>
    public const int Actions = 5;

    private const int Outcomes = 4; // intended, left, right, stay

    private static readonly int[] RowDelta = [0, -1, 0, 1, 0];
    private static readonly int[] ColumnDelta = [0, 0, 1, 0, -1];

    private readonly char[] _tiles;
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _start;
    private readonly int[] _next;      // [s, a, k]
    private readonly double[] _prob;   // [s, a, k]
    private readonly double[] _rewardOf; // [s'] entering reward (for non-absorbing sources)
    private readonly bool[] _absorbing;
    private RandomSource? _random;
    private int _state;
    private bool _started;
    private bool _ended;

    /// <summary>Creates a grid world from a text layout.</summary>
    /// <param name="layout">Rows separated by '\n' (a trailing '\r' per row is ignored), all of the same length, using the
    /// <see cref="GridWorldTiles"/> characters, with exactly one start 'S'.</param>
    /// <param name="slipProbability">Slip probability p on start, empty and warning tiles, in [0, 1].</param>
    /// <param name="waterSlipProbability">Slip probability on water tiles, in [0, 1].</param>
    /// <exception cref="ArgumentException">The layout is empty, ragged, has an unknown character or not exactly one start.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public GridWorldTask(string layout, double slipProbability = 0.2, double waterSlipProbability = 1.0)
        : this(Parse(layout, out int rows, out int columns), rows, columns, CheckSlip(slipProbability, nameof(slipProbability)), CheckSlip(waterSlipProbability, nameof(waterSlipProbability)))
    {
    }

    internal GridWorldTask(char[] tiles, int rows, int columns, double slipProbability, double waterSlipProbability)
    {
        _tiles = tiles;
        _rows = rows;
        _columns = columns;
        SlipProbability = slipProbability;
        WaterSlipProbability = waterSlipProbability;
        int n = rows * columns;
        _start = Array.IndexOf(tiles, GridWorldTiles.Start);
        _absorbing = new bool[n];
        _rewardOf = new double[n];
        for (int s = 0; s < n; s++)
        {
            _absorbing[s] = GridWorldTiles.IsAbsorbing(tiles[s]);
            _rewardOf[s] = GridWorldTiles.EnterReward(tiles[s]);
        }

        _next = new int[n * Actions * Outcomes];
        _prob = new double[n * Actions * Outcomes];
        for (int s = 0; s < n; s++)
        {
            for (int a = 0; a < Actions; a++)
            {
                BuildOutcomes(s, a);
            }
        }

        _state = _start;
    }

    /// <summary>Number of rows.</summary>
    public int Rows => _rows;

    /// <summary>Number of columns.</summary>
    public int Columns => _columns;

    /// <summary>The agent's current row (zero-based).</summary>
    public int Row => _state / _columns;

    /// <summary>The agent's current column (zero-based).</summary>
    public int Column => _state % _columns;

    /// <summary>The start cell's row (zero-based).</summary>
    public int StartRow => _start / _columns;

    /// <summary>The start cell's column (zero-based).</summary>
    public int StartColumn => _start % _columns;

    /// <summary>Slip probability on start, empty and warning tiles.</summary>
    public double SlipProbability { get; }

    /// <summary>Slip probability on water tiles.</summary>
    public double WaterSlipProbability { get; }

    /// <summary>The layout as text: rows of tile characters joined by '\n' (accepted by the constructor).</summary>
    public string Layout
    {
        get
        {
            var sb = new StringBuilder(_rows * (_columns + 1));
            for (int r = 0; r < _rows; r++)
            {
                if (r > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(_tiles, r * _columns, _columns);
            }

            return sb.ToString();
        }
    }

    /// <summary>The tile character at a cell.</summary>
    /// <param name="row">The row, in [0, <see cref="Rows"/>).</param>
    /// <param name="column">The column, in [0, <see cref="Columns"/>).</param>
    /// <returns>One of the <see cref="GridWorldTiles"/> characters.</returns>
    public char GetTile(int row, int column)
    {
        Guard.InRange(row, 0, _rows - 1, nameof(row));
        Guard.InRange(column, 0, _columns - 1, nameof(column));
        return _tiles[row * _columns + column];
    }

    /// <inheritdoc />
    public int ActionCount => Actions;

    /// <inheritdoc />
    public int ObservationSize => 2;

    /// <inheritdoc />
    public int StateIndex => -1;

    /// <inheritdoc />
    public int MdpStateCount => _tiles.Length;

    /// <inheritdoc />
    public int MdpActionCount => Actions;

    /// <inheritdoc />
    public int CurrentMdpState => _state;

    /// <inheritdoc />
    public void Reset(RandomSource random, Span<float> observation)
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.Length(observation.Length, 2, nameof(observation));
        _random = random;
        _state = _start;
        _started = true;
        _ended = false;
        WriteObservation(observation);
    }

    /// <inheritdoc />
    public TaskStep Step(int action, Span<float> observation)
    {
        Guard.InRange(action, 0, Actions - 1, "action");
        Guard.Length(observation.Length, 2, nameof(observation));
        Guard.EpisodeRunning(_started, _ended);
        int baseIndex = (_state * Actions + action) * Outcomes;
        double u = _random!.NextDouble();
        int next = -1;
        int lastPositive = baseIndex;
        double cumulative = 0;
        for (int k = baseIndex; k < baseIndex + Outcomes; k++)
        {
            double p = _prob[k];
            if (p > 0)
            {
                lastPositive = k;
                cumulative += p;
                if (u < cumulative)
                {
                    next = _next[k];
                    break;
                }
            }
        }

        if (next < 0)
        {
            next = _next[lastPositive];
        }

        double reward = Reward(_state, next);
        _state = next;
        bool terminated = _absorbing[next];
        _ended = terminated;
        WriteObservation(observation);
        return new TaskStep(reward, terminated, Truncated: false);
    }

    /// <inheritdoc />
    public void GetTransitionProbabilities(int state, int action, Span<double> probabilities)
    {
        Guard.InRange(state, 0, _tiles.Length - 1, nameof(state));
        Guard.InRange(action, 0, Actions - 1, "action");
        Guard.Length(probabilities.Length, _tiles.Length, nameof(probabilities));
        probabilities.Clear();
        int baseIndex = (state * Actions + action) * Outcomes;
        for (int k = baseIndex; k < baseIndex + Outcomes; k++)
        {
            probabilities[_next[k]] += _prob[k];
        }
    }

    /// <inheritdoc />
    public double ExpectedReward(int state, int action, int nextState)
    {
        Guard.InRange(state, 0, _tiles.Length - 1, nameof(state));
        Guard.InRange(action, 0, Actions - 1, "action");
        Guard.InRange(nextState, 0, _tiles.Length - 1, nameof(nextState));
        return Reward(state, nextState);
    }

    /// <inheritdoc />
    public bool IsAbsorbing(int state)
    {
        Guard.InRange(state, 0, _tiles.Length - 1, nameof(state));
        return _absorbing[state];
    }

    /// <summary>
    /// The optimal expected undiscounted return of <paramref name="horizon"/> steps from the start cell, by
    /// finite-horizon dynamic programming on the true MDP: V₀ = 0, V_{k+1}(s) = max_a Σ_s' T(s'|s,a)(R(s,a,s') + V_k(s')).
    /// </summary>
    /// <param name="horizon">The number of steps, at least 0.</param>
    /// <returns>V_horizon(start).</returns>
    public double OptimalReturn(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        int n = _tiles.Length;
        var v = new double[n];
        var next = new double[n];
        for (int k = 0; k < horizon; k++)
        {
            for (int s = 0; s < n; s++)
            {
                double best = double.NegativeInfinity;
                for (int a = 0; a < Actions; a++)
                {
                    int baseIndex = (s * Actions + a) * Outcomes;
                    double q = 0;
                    for (int j = baseIndex; j < baseIndex + Outcomes; j++)
                    {
                        double p = _prob[j];
                        if (p > 0)
                        {
                            q += p * (Reward(s, _next[j]) + v[_next[j]]);
                        }
                    }

                    best = Math.Max(best, q);
                }

                next[s] = best;
            }

            (v, next) = (next, v);
        }

        return v[_start];
    }

    /// <inheritdoc />
    /// <remarks>One line per row; empty cells as '.', the agent as '@', other tiles as their characters.</remarks>
    public string Render()
    {
        var sb = new StringBuilder(_rows * (_columns + 1));
        for (int r = 0; r < _rows; r++)
        {
            for (int c = 0; c < _columns; c++)
            {
                int s = r * _columns + c;
                char tile = _tiles[s];
                sb.Append(s == _state ? '@' : tile == GridWorldTiles.Empty ? '.' : tile);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private double Reward(int state, int nextState)
    {
        char tile = _tiles[state];
        return _absorbing[state] || tile == GridWorldTiles.Obstacle ? 0.0 : _rewardOf[nextState];
    }

    private void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)(_state / _columns + 1) / _rows;
        observation[1] = (float)(_state % _columns + 1) / _columns;
    }

    private void BuildOutcomes(int s, int a)
    {
        int baseIndex = (s * Actions + a) * Outcomes;
        for (int k = 0; k < Outcomes; k++)
        {
            _next[baseIndex + k] = s;
        }

        char tile = _tiles[s];
        if (a == (int)GridWorldAction.Noop || _absorbing[s] || tile == GridWorldTiles.Obstacle)
        {
            _prob[baseIndex + 3] = 1.0;
            return;
        }

        double p = tile == GridWorldTiles.Water ? WaterSlipProbability : SlipProbability;
        // Perpendicular directions: for N/S they are E and W, for E/W they are N and S.
        bool vertical = a == (int)GridWorldAction.North || a == (int)GridWorldAction.South;
        int left = vertical ? (int)GridWorldAction.West : (int)GridWorldAction.North;
        int right = vertical ? (int)GridWorldAction.East : (int)GridWorldAction.South;
        double stay = 0;
        stay += Place(s, a, 1.0 - p, baseIndex + 0);
        stay += Place(s, left, p / 2, baseIndex + 1);
        stay += Place(s, right, p / 2, baseIndex + 2);
        _prob[baseIndex + 3] = stay;
    }

    /// <summary>Puts mass <paramref name="mass"/> on the neighbour in direction <paramref name="direction"/>; returns the mass that stays put instead.</summary>
    private double Place(int s, int direction, double mass, int slot)
    {
        int r = s / _columns + RowDelta[direction];
        int c = s % _columns + ColumnDelta[direction];
        if (r < 0 || r >= _rows || c < 0 || c >= _columns || _tiles[r * _columns + c] == GridWorldTiles.Obstacle)
        {
            _prob[slot] = 0;
            return mass;
        }

        _next[slot] = r * _columns + c;
        _prob[slot] = mass;
        return 0;
    }

    private static double CheckSlip(double value, string paramName)
    {
        Guard.InRange(value, 0.0, 1.0, paramName);
        return value;
    }

    private static char[] Parse(string layout, out int rows, out int columns)
    {
        ArgumentNullException.ThrowIfNull(layout);
        string[] lines = layout.Split('\n');
        rows = lines.Length;
        columns = lines[0].TrimEnd('\r').Length;
        if (columns == 0)
        {
            throw new ArgumentException("layout must have at least one row and one column.", nameof(layout));
        }

        var tiles = new char[rows * columns];
        int starts = 0;
        for (int r = 0; r < rows; r++)
        {
            string line = lines[r].TrimEnd('\r');
            if (line.Length != columns)
            {
                throw new ArgumentException($"layout row {r} has {line.Length} characters; every row must have {columns}.", nameof(layout));
            }

            for (int c = 0; c < columns; c++)
            {
                char tile = line[c];
                if (!GridWorldTiles.IsValid(tile))
                {
                    throw new ArgumentException($"layout has an unknown tile '{tile}' at row {r}, column {c}; allowed: ' ', 'S', 'W', '!', 'X', 'G', 'O'.", nameof(layout));
                }

                starts += tile == GridWorldTiles.Start ? 1 : 0;
                tiles[r * columns + c] = tile;
            }
        }

        if (starts != 1)
        {
            throw new ArgumentException($"layout must contain exactly one start 'S' (found {starts}).", nameof(layout));
        }

        return tiles;
    }
}
