namespace RL3.Core.Tasks.GridWorlds;

/// <summary>
/// Generation parameters of a <see cref="GridWorldDistribution"/> (immutable; the paper's settings are the named
/// static instances, use <c>with</c> to vary one). Property defaults are the 13x13 setting.
/// </summary>
public sealed record GridWorldOptions
{
    /// <summary>11x11 (side 11, 11 obstacle sets of 3, 5 water sets of 2, 2 dangers, goal ≥ 8 from the centre, slip 0.2).</summary>
    public static GridWorldOptions Grid11x11 { get; } = new() { Side = 11 };

    /// <summary>13x13 (side 13, 11 obstacle sets of 3, 5 water sets of 2, 2 dangers, goal ≥ 8 from the centre, slip 0.2).</summary>
    public static GridWorldOptions Grid13x13 { get; } = new();

    /// <summary>OOD 13x13 "dense": obstacle segments of length 4.</summary>
    public static GridWorldOptions Dense13x13 { get; } = new() { ObstacleLength = 4 };

    /// <summary>OOD 13x13 "deterministic": slip probability 0 (water still slips).</summary>
    public static GridWorldOptions Deterministic13x13 { get; } = new() { SlipProbability = 0.0 };

    /// <summary>OOD 13x13 "watery": 8 water segments.</summary>
    public static GridWorldOptions Watery13x13 { get; } = new() { WaterSetCount = 8 };

    /// <summary>OOD 13x13 "dangerous": 4 dangers.</summary>
    public static GridWorldOptions Dangerous13x13 { get; } = new() { DangerCount = 4 };

    /// <summary>OOD 13x13 "corner": the goal at Manhattan distance ≥ 12 from the centre (the corners).</summary>
    public static GridWorldOptions Corner13x13 { get; } = new() { MinGoalDistance = 12 };

    /// <summary>Grid side (rows = columns), in [3, 255]. Default 13.</summary>
    public int Side { get; init; } = 13;

    /// <summary>Number of obstacle segments, in [0, 10000]. Default 11.</summary>
    public int ObstacleSetCount { get; init; } = 11;

    /// <summary>Cells per obstacle segment, in [1, centre + 1] where centre = (Side − 1) / 2. Default 3.</summary>
    public int ObstacleLength { get; init; } = 3;

    /// <summary>Number of water segments, in [0, 10000]. Default 5.</summary>
    public int WaterSetCount { get; init; } = 5;

    /// <summary>Cells per water segment, in [1, centre + 1]. Default 2.</summary>
    public int WaterLength { get; init; } = 2;

    /// <summary>Number of dangers, in [0, Side²]. Default 2.</summary>
    public int DangerCount { get; init; } = 2;

    /// <summary>Minimum Manhattan distance of the goal from the centre, in [1, 2·(Side − 1 − centre)]. Default 8.</summary>
    public int MinGoalDistance { get; init; } = 8;

    /// <summary>Slip probability p on start, empty and warning tiles, in [0, 1]. Default 0.2.</summary>
    public double SlipProbability { get; init; } = 0.2;

    /// <summary>Slip probability on water tiles, in [0, 1]. Default 1.</summary>
    public double WaterSlipProbability { get; init; } = 1.0;

    /// <summary>Horizon of the acceptance test (optimal undiscounted return from the start), in [0, 100000]. Default 100.</summary>
    public int AcceptanceHorizon { get; init; } = 100;

    /// <summary>Smallest accepted optimal return (finite, ≤ <see cref="MaxAcceptedReturn"/>). Default 50.</summary>
    public double MinAcceptedReturn { get; init; } = 50.0;

    /// <summary>Largest accepted optimal return (finite). Default 100.</summary>
    public double MaxAcceptedReturn { get; init; } = 100.0;

    /// <summary>Grids generated per <see cref="GridWorldDistribution.Sample"/> before giving up, in [1, 10⁷]. Default 10000.</summary>
    public int MaxAttempts { get; init; } = 10_000;
}
