namespace RL3.Core.Tasks.GridWorlds;

/// <summary>The tile characters of a grid-world layout and the reward for entering each.</summary>
/// <remarks>
/// Rewards follow the RL³ reference code: every transition pays the reward of the tile it ends on ("entering"),
/// including a move that stays put (the current tile's reward); transitions out of an absorbing tile pay 0.
/// Entering the start tile pays −1 like an empty tile.
/// </remarks>
public static class GridWorldTiles
{
    /// <summary>Empty floor, −1 on entering.</summary>
    public const char Empty = ' ';

    /// <summary>The start tile (the agent's cell after every reset), −1 on entering.</summary>
    public const char Start = 'S';

    /// <summary>Water, −2 on entering; moves from water slip to a perpendicular cell (slip probability 1 by default).</summary>
    public const char Water = 'W';

    /// <summary>Warning (next to a danger), −10 on entering.</summary>
    public const char Warning = '!';

    /// <summary>Danger, −100 on entering; absorbing (the episode terminates).</summary>
    public const char Danger = 'X';

    /// <summary>Goal, +100 on entering; absorbing (the episode terminates).</summary>
    public const char Goal = 'G';

    /// <summary>Obstacle: impassable (probability mass toward it stays put).</summary>
    public const char Obstacle = 'O';

    /// <summary>Whether <paramref name="tile"/> is one of the seven tile characters.</summary>
    /// <param name="tile">The character.</param>
    /// <returns>True for a valid tile.</returns>
    public static bool IsValid(char tile) =>
        tile is Empty or Start or Water or Warning or Danger or Goal or Obstacle;

    /// <summary>Whether entering <paramref name="tile"/> ends the episode (goal or danger).</summary>
    /// <param name="tile">The tile.</param>
    /// <returns>True for absorbing tiles.</returns>
    public static bool IsAbsorbing(char tile) => tile is Goal or Danger;

    /// <summary>The reward for entering (or staying on) <paramref name="tile"/>.</summary>
    /// <param name="tile">The tile.</param>
    /// <returns>−1 (empty, start), −2 (water), −10 (warning), −100 (danger), +100 (goal), 0 (obstacle, never entered).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not a tile character.</exception>
    public static double EnterReward(char tile) => tile switch
    {
        Empty or Start => -1.0,
        Water => -2.0,
        Warning => -10.0,
        Danger => -100.0,
        Goal => 100.0,
        Obstacle => 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(tile), tile, "tile must be one of ' ', 'S', 'W', '!', 'X', 'G', 'O'."),
    };
}
