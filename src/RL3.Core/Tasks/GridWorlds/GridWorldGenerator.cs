using RL3.Core.Randomness;

namespace RL3.Core.Tasks.GridWorlds;

/// <summary>Draws one candidate grid layout (before the acceptance test) following the RL³ reference generator.</summary>
/// <remarks>
/// Order of draws and rules (zero-based cells, centre = (side − 1) / 2):
/// <list type="number">
/// <item>Each obstacle segment, then each water segment: orientation (vertical or horizontal, one draw), the start
/// coordinate along that axis (uniform over the side), the direction toward the centre (a coin flip only when the
/// start is the centre itself), then the other coordinate (uniform). The segment covers <c>length</c> cells from the
/// start toward the centre, so it never leaves the grid. Later segments overwrite earlier ones (water over
/// obstacles).</item>
/// <item>The start 'S' overwrites the centre.</item>
/// <item>The goal is uniform over the cells at Manhattan distance ≥ the minimum from the centre (it overwrites
/// whatever was there).</item>
/// <item>Each danger: uniform interior cell (rows and columns 1 … side − 2) until one is empty and its four
/// neighbours are all empty or obstacles; it becomes 'X' and the four neighbours become '!' (obstacles
/// included). If no such cell turns up within 100·side² tries per danger the candidate is rejected.</item>
/// </list>
/// </remarks>
internal static class GridWorldGenerator
{
    /// <summary>Fills <paramref name="grid"/> (row-major, side²) with a candidate layout.</summary>
    /// <returns>False when the dangers could not be placed (reject the candidate).</returns>
    public static bool TryGenerate(GridWorldOptions options, RandomSource random, char[] grid)
    {
        int side = options.Side;
        int centre = (side - 1) / 2;
        grid.AsSpan().Fill(GridWorldTiles.Empty);
        for (int i = 0; i < options.ObstacleSetCount; i++)
        {
            PlaceSegment(grid, side, centre, options.ObstacleLength, GridWorldTiles.Obstacle, random);
        }

        for (int i = 0; i < options.WaterSetCount; i++)
        {
            PlaceSegment(grid, side, centre, options.WaterLength, GridWorldTiles.Water, random);
        }

        grid[centre * side + centre] = GridWorldTiles.Start;

        int allowed = 0;
        for (int s = 0; s < grid.Length; s++)
        {
            allowed += Distance(s, side, centre) >= options.MinGoalDistance ? 1 : 0;
        }

        int pick = random.NextInt(allowed);
        for (int s = 0; s < grid.Length; s++)
        {
            if (Distance(s, side, centre) >= options.MinGoalDistance && pick-- == 0)
            {
                grid[s] = GridWorldTiles.Goal;
                break;
            }
        }

        long maxTries = 100L * side * side * Math.Max(1, options.DangerCount);
        long tries = 0;
        for (int placed = 0; placed < options.DangerCount;)
        {
            if (++tries > maxTries)
            {
                return false;
            }

            int r = random.NextInt(1, side - 1);
            int c = random.NextInt(1, side - 1);
            int s = r * side + c;
            if (grid[s] == GridWorldTiles.Empty
                && Clear(grid[s - side]) && Clear(grid[s + side]) && Clear(grid[s - 1]) && Clear(grid[s + 1]))
            {
                grid[s] = GridWorldTiles.Danger;
                grid[s - side] = grid[s + side] = grid[s - 1] = grid[s + 1] = GridWorldTiles.Warning;
                placed++;
            }
        }

        return true;
    }

    private static bool Clear(char tile) => tile is GridWorldTiles.Empty or GridWorldTiles.Obstacle;

    private static int Distance(int s, int side, int centre) => Math.Abs(s / side - centre) + Math.Abs(s % side - centre);

    private static void PlaceSegment(char[] grid, int side, int centre, int length, char tile, RandomSource random)
    {
        bool vertical = random.NextInt(2) == 1;
        int start = random.NextInt(side);
        int direction = start == centre ? (random.NextInt(2) == 0 ? -1 : 1) : (start > centre ? -1 : 1);
        int end = start + direction * (length - 1);
        int lo = Math.Min(start, end), hi = Math.Max(start, end);
        int other = random.NextInt(side);
        for (int i = lo; i <= hi; i++)
        {
            grid[vertical ? i * side + other : other * side + i] = tile;
        }
    }
}
