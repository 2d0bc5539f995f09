using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace CustomTaskDistribution;

/// <summary>
/// A task family of our own: a chain of <see cref="Length"/> cells, a treasure buried in one of them (uniformly at random per
/// task), and three actions: left, right, dig. Digging on the treasure pays 1 and ends the episode; every episode starts at
/// the left end and lasts at most <see cref="TaskHorizon"/> steps. A good meta-learner searches once, then walks straight back
/// to the treasure in every later episode.
/// </summary>
public sealed class TreasureChainDistribution : ITaskDistribution, ITaskFamilySettingsProvider
{
    /// <summary>Initializes a new instance of the <see cref="TreasureChainDistribution"/> class.</summary>
    /// <param name="length">Number of cells (at least 2).</param>
    /// <param name="taskHorizon">Steps per task episode (at least 1).</param>
    public TreasureChainDistribution(int length = 5, int taskHorizon = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskHorizon, 1);
        Length = length;
        TaskHorizon = taskHorizon;
    }

    /// <summary>Gets the number of cells.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public string Name => "treasure-chain";

    /// <inheritdoc />
    public int ActionCount => TreasureChainTask.Actions;

    /// <inheritdoc />
    public int ObservationSize => Length;

    /// <inheritdoc />
    public int StateCount => Length;

    /// <inheritdoc />
    public int TaskHorizon { get; }

    /// <summary>
    /// Gets the family's own RL³ settings, applied wherever a run leaves them unset (presets, <c>AddRL3()</c>,
    /// <c>MetaEnvironmentSpec.ForAlgorithm</c>): rewards are 0 or 1, so the inner Q-values need no scaling (c = 1).
    /// </summary>
    public TaskFamilySettings FamilySettings { get; } = new() { InteractionBudget = 40, ValueScale = 1.0 };

    /// <inheritdoc />
    public ITask Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new TreasureChainTask(Length, treasure: random.NextInt(Length));
    }
}
