using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Cli;

/// <summary>Where a grid-world agent went during one evaluation meta-episode.</summary>
/// <param name="TaskIndex">The held-out task's index.</param>
/// <param name="Rows">Grid rows.</param>
/// <param name="Columns">Grid columns.</param>
/// <param name="Tiles">The tiles, row-major (see <see cref="GridWorldTiles"/>).</param>
/// <param name="Visits">Visits per cell (the start of every task episode and every state reached), row-major.</param>
/// <param name="Return">The meta-episode's return.</param>
internal sealed record GridVisits(long TaskIndex, int Rows, int Columns, string Tiles, int[] Visits, double Return);

/// <summary>A policy's held-out result with what the report shows beyond the mean.</summary>
internal sealed record PolicyEvaluation(MethodResult Result, IReadOnlyList<GridVisits> Visits);

/// <summary>
/// An evaluation recorder (<see cref="IEvaluationRecorder"/>) that counts, for the first few tasks of a grid-world
/// family, how often each cell was visited: the heat maps of the report.
/// </summary>
internal sealed class GridVisitRecorder(int episodes = 3) : IEvaluationRecorder
{
    private readonly Dictionary<int, Tracked> _tracked = [];
    private readonly List<GridVisits> _visits = [];

    /// <summary>The recorded meta-episodes, in task order.</summary>
    public IReadOnlyList<GridVisits> Visits => _visits;

    public void OnStart(int taskCount, int interactionBudget)
    {
        _tracked.Clear();
        _visits.Clear();
    }

    public void OnMetaEpisodeStart(int task, MetaEnvironment environment)
    {
        if (task < episodes && environment.CurrentTask is GridWorldTask grid)
        {
            var cells = new int[grid.Rows * grid.Columns];
            cells[grid.CurrentMdpState]++;
            _tracked[task] = new Tracked(grid, cells) { State = grid.CurrentMdpState };
        }
    }

    public void OnStep(int task, MetaEnvironment environment, int action, in MetaStep step)
    {
        if (!_tracked.TryGetValue(task, out var tracked))
        {
            return;
        }

        var grid = tracked.Grid;
        // After an episode-ending step the task is already back at its start: recover the absorbing cell reached.
        tracked.Cells[step.TaskEpisodeEnded ? AbsorbingSuccessor(grid, tracked.State, action, step.Reward) : grid.CurrentMdpState]++;
        tracked.State = grid.CurrentMdpState;
    }

    public void OnMetaEpisodeEnd(int task, double metaReturn)
    {
        if (_tracked.Remove(task, out var tracked))
        {
            _visits.Add(new GridVisits(task, tracked.Grid.Rows, tracked.Grid.Columns, Tiles(tracked.Grid), tracked.Cells, metaReturn));
        }
    }

    private static int AbsorbingSuccessor(GridWorldTask grid, int state, int action, double reward)
    {
        var probabilities = new double[grid.MdpStateCount];
        grid.GetTransitionProbabilities(state, action, probabilities);
        int fallback = grid.CurrentMdpState;
        for (int next = 0; next < probabilities.Length; next++)
        {
            if (probabilities[next] > 0 && grid.IsAbsorbing(next))
            {
                fallback = next;
                if (grid.ExpectedReward(state, action, next) == reward)
                {
                    return next;
                }
            }
        }

        return fallback;
    }

    private static string Tiles(GridWorldTask grid)
    {
        var chars = new char[grid.Rows * grid.Columns];
        for (int r = 0; r < grid.Rows; r++)
        {
            for (int c = 0; c < grid.Columns; c++)
            {
                chars[(r * grid.Columns) + c] = grid.GetTile(r, c);
            }
        }

        return new string(chars);
    }

    private sealed class Tracked(GridWorldTask grid, int[] cells)
    {
        public GridWorldTask Grid => grid;

        public int[] Cells => cells;

        public int State { get; set; }
    }
}
