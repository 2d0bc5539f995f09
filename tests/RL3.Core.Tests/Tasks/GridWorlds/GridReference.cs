using RL3.Core.Tasks.GridWorlds;

namespace RL3.Core.Tests.Tasks.GridWorlds;

/// <summary>An independent re-statement of the grid-world rules (docs/method.md §4), used to check the task.</summary>
internal sealed class GridReference
{
    private static readonly (int Dr, int Dc)[] Directions = [(0, 0), (-1, 0), (0, 1), (1, 0), (0, -1)];

    private readonly char[,] _grid;
    private readonly double _slip;
    private readonly double _waterSlip;

    public GridReference(GridWorldTask task)
    {
        Rows = task.Rows;
        Columns = task.Columns;
        _grid = new char[Rows, Columns];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                _grid[r, c] = task.GetTile(r, c);
            }
        }

        _slip = task.SlipProbability;
        _waterSlip = task.WaterSlipProbability;
    }

    public int Rows { get; }

    public int Columns { get; }

    public int Cells => Rows * Columns;

    public char Tile(int s) => _grid[s / Columns, s % Columns];

    public static double EnterReward(char tile) => tile switch
    {
        'S' or ' ' => -1,
        'W' => -2,
        '!' => -10,
        'X' => -100,
        'G' => 100,
        _ => 0,
    };

    public double[] Transition(int s, int a)
    {
        var p = new double[Cells];
        char tile = Tile(s);
        if (a == 0 || tile is 'G' or 'X' or 'O')
        {
            p[s] = 1;
            return p;
        }

        double slip = tile == 'W' ? _waterSlip : _slip;
        int[] perpendicular = a is 1 or 3 ? [2, 4] : [1, 3];
        Add(p, s, a, 1 - slip);
        Add(p, s, perpendicular[0], slip / 2);
        Add(p, s, perpendicular[1], slip / 2);
        return p;
    }

    public double Reward(int s, int next) => Tile(s) is 'G' or 'X' or 'O' ? 0 : EnterReward(Tile(next));

    /// <summary>Optimal undiscounted return of <paramref name="horizon"/> steps from the centre start, by backward induction.</summary>
    public double OptimalReturn(int start, int horizon)
    {
        var t = new double[Cells, 5][];
        for (int s = 0; s < Cells; s++)
        {
            for (int a = 0; a < 5; a++)
            {
                t[s, a] = Transition(s, a);
            }
        }

        var v = new double[Cells];
        for (int k = 0; k < horizon; k++)
        {
            var next = new double[Cells];
            for (int s = 0; s < Cells; s++)
            {
                double best = double.NegativeInfinity;
                for (int a = 0; a < 5; a++)
                {
                    double q = 0;
                    for (int s2 = 0; s2 < Cells; s2++)
                    {
                        if (t[s, a][s2] > 0)
                        {
                            q += t[s, a][s2] * (Reward(s, s2) + v[s2]);
                        }
                    }

                    best = Math.Max(best, q);
                }

                next[s] = best;
            }

            v = next;
        }

        return v[start];
    }

    private void Add(double[] p, int s, int direction, double mass)
    {
        int r = s / Columns + Directions[direction].Dr;
        int c = s % Columns + Directions[direction].Dc;
        bool blocked = r < 0 || r >= Rows || c < 0 || c >= Columns || _grid[r, c] == 'O';
        p[blocked ? s : r * Columns + c] += mass;
    }
}
