using RL3.Core.Randomness;

namespace RL3.Core.Tasks.GridWorlds;

/// <summary>
/// Random grid worlds (RL³ paper §5): obstacle and water segments, dangers ringed by warnings, a goal far from
/// the central start, kept only when the optimal undiscounted return of <see cref="GridWorldOptions.AcceptanceHorizon"/>
/// steps from the start lies in [<see cref="GridWorldOptions.MinAcceptedReturn"/>, <see cref="GridWorldOptions.MaxAcceptedReturn"/>].
/// </summary>
/// <remarks>
/// Tasks observe ((row + 1)/side, (column + 1)/side), have no discrete state index (<see cref="StateCount"/> = 0;
/// an inner estimator indexes observations by exact match or clustering) and no task horizon (episodes end only in
/// the goal or a danger). Candidates are drawn one after another from the same random stream until one is accepted.
/// Generation, in draw order (zero-based cells, centre = (side − 1)/2):
/// <list type="number">
/// <item>Each obstacle segment, then each water segment: orientation (one coin flip), the start coordinate along
/// that axis (uniform), the direction toward the centre (a coin flip only when the start is the centre itself), then
/// the other coordinate (uniform). The segment covers its length in cells from the start toward the centre, so it
/// never leaves the grid; later segments overwrite earlier ones (water over obstacles).</item>
/// <item>The start 'S' overwrites the centre.</item>
/// <item>The goal is uniform over the cells at Manhattan distance ≥ the minimum from the centre (overwriting what
/// was there).</item>
/// <item>Each danger: a uniform interior cell (rows and columns 1 … side − 2), redrawn until it is empty and its
/// four neighbours are all empty or obstacles; it becomes 'X' and the four neighbours become '!' (obstacles
/// included). A candidate whose dangers find no place within 100·side² tries per danger is rejected.</item>
/// </list>
/// </remarks>
public sealed class GridWorldDistribution : ITaskDistribution, ITaskFamilySettingsProvider
{
    private static readonly TaskFamilySettings SmallGridSettings = new() { InteractionBudget = 250, ValueScale = 10.0, LaplaceSmoothing = 0.01, ValueIterationEpsilon = 0.1, ClusteringRadius = 0.1 };
    private static readonly TaskFamilySettings LargeGridSettings = new() { InteractionBudget = 350, ValueScale = 10.0, LaplaceSmoothing = 0.01, ValueIterationEpsilon = 0.1, ClusteringRadius = 0.08 };

    /// <summary>Creates the distribution.</summary>
    /// <param name="options">The generation parameters; <see cref="GridWorldOptions.Grid13x13"/> when null.</param>
    /// <param name="name">The distribution's name; <c>grid-{side}x{side}</c> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and the allowed range).</exception>
    public GridWorldDistribution(GridWorldOptions? options = null, string? name = null)
    {
        options ??= GridWorldOptions.Grid13x13;
        Guard.InRange(options.Side, 3, 255, "options.Side");
        int centre = (options.Side - 1) / 2;
        Guard.InRange(options.ObstacleSetCount, 0, 10_000, "options.ObstacleSetCount");
        Guard.InRange(options.ObstacleLength, 1, centre + 1, "options.ObstacleLength");
        Guard.InRange(options.WaterSetCount, 0, 10_000, "options.WaterSetCount");
        Guard.InRange(options.WaterLength, 1, centre + 1, "options.WaterLength");
        Guard.InRange(options.DangerCount, 0, options.Side * options.Side, "options.DangerCount");
        Guard.InRange(options.MinGoalDistance, 1, 2 * (options.Side - 1 - centre), "options.MinGoalDistance");
        Guard.InRange(options.SlipProbability, 0.0, 1.0, "options.SlipProbability");
        Guard.InRange(options.WaterSlipProbability, 0.0, 1.0, "options.WaterSlipProbability");
        Guard.InRange(options.AcceptanceHorizon, 0, 100_000, "options.AcceptanceHorizon");
        Guard.Finite(options.MinAcceptedReturn, "options.MinAcceptedReturn");
        Guard.AtLeast(options.MaxAcceptedReturn, options.MinAcceptedReturn, "options.MaxAcceptedReturn");
        Guard.InRange(options.MaxAttempts, 1, 10_000_000, "options.MaxAttempts");
        Options = options;
        Name = name ?? $"grid-{options.Side}x{options.Side}";
    }

    /// <summary>The generation parameters this distribution was built with.</summary>
    public GridWorldOptions Options { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int ActionCount => GridWorldTask.Actions;

    /// <inheritdoc />
    public int ObservationSize => 2;

    /// <inheritdoc />
    public int StateCount => 0;

    /// <summary>
    /// Gets the grid-world family's RL³ settings (docs/method.md §4): c = 10, λ = 0.01, ε = 0.1; H = 250 and ρ = 0.1 up to 11x11,
    /// H = 350 and ρ = 0.08 for larger grids.
    /// </summary>
    public TaskFamilySettings FamilySettings => Options.Side <= 11 ? SmallGridSettings : LargeGridSettings;

    /// <inheritdoc />
    public int TaskHorizon => 0;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No candidate passed the acceptance test within <see cref="GridWorldOptions.MaxAttempts"/> attempts.</exception>
    public ITask Sample(RandomSource random) => SampleGrid(random);

    /// <summary>Samples one accepted grid world (the typed form of <see cref="Sample"/>).</summary>
    /// <param name="random">The random stream to draw the layout from.</param>
    /// <returns>A new grid world, not yet reset.</returns>
    /// <exception cref="InvalidOperationException">No candidate passed the acceptance test within <see cref="GridWorldOptions.MaxAttempts"/> attempts.</exception>
    public GridWorldTask SampleGrid(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var o = Options;
        var grid = new char[o.Side * o.Side];
        double lastReturn = double.NaN;
        for (int attempt = 0; attempt < o.MaxAttempts; attempt++)
        {
            if (!GridWorldGenerator.TryGenerate(o, random, grid))
            {
                continue;
            }

            var task = new GridWorldTask(grid, o.Side, o.Side, o.SlipProbability, o.WaterSlipProbability);
            lastReturn = task.OptimalReturn(o.AcceptanceHorizon);
            if (lastReturn >= o.MinAcceptedReturn && lastReturn <= o.MaxAcceptedReturn)
            {
                return task;
            }
        }

        throw new InvalidOperationException(
            $"{Name}: no grid accepted in {o.MaxAttempts} attempts (options.MaxAttempts): the optimal {o.AcceptanceHorizon}-step return " +
            $"from the start must lie in [{o.MinAcceptedReturn}, {o.MaxAcceptedReturn}] (last candidate: {lastReturn}). " +
            "Relax the acceptance range or make the grids easier.");
    }
}
