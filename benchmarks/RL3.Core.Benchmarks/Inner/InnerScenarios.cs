using RL3.Core.Inner;
using RL3.Core.Randomness;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>Transition streams for the inner-loop benchmarks (small stand-in task simulators).</summary>
internal static class InnerScenarios
{
    /// <summary>Bernoulli bandit, k arms: states {start 0, pulled 1 (absorbing)}; uniformly random pulls.</summary>
    public static InnerTransition[] Bandit(ulong seed, int arms, int length)
    {
        var rng = new RandomSource(seed);
        var p = new double[arms];
        for (int a = 0; a < arms; a++)
        {
            p[a] = rng.NextDouble();
        }

        var result = new InnerTransition[length];
        for (int t = 0; t < length; t++)
        {
            int a = rng.NextInt(arms);
            result[t] = new InnerTransition(0, a, rng.NextDouble() < p[a] ? 1 : 0, 1, true, true);
        }

        return result;
    }

    /// <summary>Random MDP: Dirichlet(1) rows, mean reward 1 + N(0,1), reward noise N(0,1), episodes of TH steps from state 0, random actions.</summary>
    public static InnerTransition[] RandomMdp(ulong seed, int states, int actions, int taskHorizon, int length)
    {
        var rng = new RandomSource(seed);
        var t = new double[states * actions * states];
        var mean = new double[states * actions];
        for (int sa = 0; sa < states * actions; sa++)
        {
            double sum = 0;
            for (int j = 0; j < states; j++)
            {
                double g = -Math.Log(1 - rng.NextDouble());
                t[(sa * states) + j] = g;
                sum += g;
            }

            for (int j = 0; j < states; j++)
            {
                t[(sa * states) + j] /= sum;
            }

            mean[sa] = 1 + rng.NextGaussian();
        }

        var result = new InnerTransition[length];
        int s = 0, tau = 0;
        for (int k = 0; k < length; k++)
        {
            int a = rng.NextInt(actions);
            int sa = (s * actions) + a;
            double u = rng.NextDouble();
            int next = 0;
            double acc = t[sa * states];
            while (acc < u && next < states - 1)
            {
                acc += t[(sa * states) + ++next];
            }

            result[k] = new InnerTransition(s, a, mean[sa] + rng.NextGaussian(), next, false, tau == 0);
            tau++;
            if (tau == taskHorizon)
            {
                tau = 0;
                s = 0;
            }
            else
            {
                s = next;
            }
        }

        return result;
    }

    /// <summary>
    /// A 13x13 slippery grid world (stand-in for the task library's): start at the centre, a goal (+100, absorbing)
    /// in a corner, one danger (−100, absorbing) with warning cells (−10) around it, a short obstacle wall, −1 per
    /// step elsewhere; actions noop/N/E/S/W, slip 0.2 to the perpendicular cells. A uniformly random walk; rows come
    /// from an <see cref="ExactMatchStateIndexer"/> over (row/13, col/13), in first-visit order.
    /// </summary>
    public static InnerTransition[] GridWalk(ulong seed, int length, out int rowsUsed)
    {
        const int n = 13;
        var rng = new RandomSource(seed);
        var tile = new char[n, n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                tile[r, c] = ' ';
            }
        }

        tile[0, n - 1] = 'G';
        tile[9, 3] = 'X';
        tile[8, 3] = tile[10, 3] = tile[9, 2] = tile[9, 4] = '!';
        for (int c = 4; c < 8; c++)
        {
            tile[3, c] = 'O';
        }

        int[] dr = [0, -1, 0, 1, 0];
        int[] dc = [0, 0, 1, 0, -1];
        var indexer = new ExactMatchStateIndexer(2, n * n);
        var obs = new float[2];
        int Row(int r, int c)
        {
            obs[0] = r / (float)n;
            obs[1] = c / (float)n;
            return indexer.GetOrAdd(-1, obs);
        }

        var result = new InnerTransition[length];
        int cr = n / 2, cc = n / 2;
        bool start = true;
        for (int k = 0; k < length; k++)
        {
            int a = rng.NextInt(5);
            int move = a;
            if (a != 0)
            {
                double u = rng.NextDouble();
                if (u < 0.1)
                {
                    move = (a % 4) + 1;
                }
                else if (u < 0.2)
                {
                    move = ((a + 2) % 4) + 1;
                }
            }

            int nr = cr + dr[move], nc = cc + dc[move];
            if (nr < 0 || nr >= n || nc < 0 || nc >= n || tile[nr, nc] == 'O')
            {
                nr = cr;
                nc = cc;
            }

            char landed = tile[nr, nc];
            double reward = landed switch { 'G' => 100, 'X' => -100, '!' => -10, _ => -1 };
            bool absorbing = landed is 'G' or 'X';
            int s = Row(cr, cc);
            result[k] = new InnerTransition(s, a, reward, Row(nr, nc), absorbing, start);
            start = absorbing;
            (cr, cc) = absorbing ? (n / 2, n / 2) : (nr, nc);
        }

        rowsUsed = indexer.Count;
        return result;
    }

    /// <summary>
    /// The exact 13x13 grid world of <c>perf/vi_bench.py</c> (169 states, 4 actions up/right/down/left, slip 0.2 split
    /// to both sides, border walls, −1 per step, +100 on entering the goal in the last corner, goal absorbing) fed to
    /// a learned model as counts 8/1/1 per (s,a), so that with λ = 0 the learned T and R equal the script's.
    /// </summary>
    public static InnerTransition[] ViBenchGrid()
    {
        const int n = 13, goal = (n * n) - 1;
        int[] mr = [-1, 0, 1, 0];
        int[] mc = [0, 1, 0, -1];
        var list = new List<InnerTransition>();
        for (int s = 0; s < n * n; s++)
        {
            if (s == goal)
            {
                continue;
            }

            int r = s / n, c = s % n;
            for (int a = 0; a < 4; a++)
            {
                foreach (var (m, count) in new[] { (a, 8), ((a + 1) % 4, 1), ((a + 3) % 4, 1) })
                {
                    int r2 = Math.Clamp(r + mr[m], 0, n - 1), c2 = Math.Clamp(c + mc[m], 0, n - 1);
                    int s2 = (r2 * n) + c2;
                    for (int i = 0; i < count; i++)
                    {
                        list.Add(new InnerTransition(s, a, s2 == goal ? 100 : -1, s2, s2 == goal, false));
                    }
                }
            }
        }

        return [.. list];
    }
}
