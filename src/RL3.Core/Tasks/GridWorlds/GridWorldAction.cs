namespace RL3.Core.Tasks.GridWorlds;

/// <summary>The five grid-world actions, in action-index order.</summary>
public enum GridWorldAction
{
    /// <summary>Stay in place (always succeeds).</summary>
    Noop = 0,

    /// <summary>Move up one row (row − 1).</summary>
    North = 1,

    /// <summary>Move right one column (column + 1).</summary>
    East = 2,

    /// <summary>Move down one row (row + 1).</summary>
    South = 3,

    /// <summary>Move left one column (column − 1).</summary>
    West = 4,
}
