using System.Collections.ObjectModel;

namespace RL3.Core.Meta;

/// <summary>
/// The layout of what a meta-policy sees at each step (docs/method.md §2):
/// <c>[ onehot(a_{t−1}) (A) | r_{t−1} | newMetaEpisode | t/H | tau/TH | task observation (m) | inner block ]</c>,
/// where the inner block (RL³ only) is
/// <c>[ (Q(s,·) − V(s))/c (A) | V(s)/c | SE_Q(s,·)/c (A) | SE_V(s)/c | N(s,·)/10 (A) ]</c>.
/// </summary>
/// <remarks>RL² and RL³ differ only in whether the inner block is present.</remarks>
public sealed class ObservationLayout
{
    /// <summary>Block name of the previous action's one-hot encoding.</summary>
    public const string PreviousAction = "previous_action";

    /// <summary>Block name of the previous (raw) reward.</summary>
    public const string PreviousReward = "previous_reward";

    /// <summary>Block name of the new-meta-episode flag.</summary>
    public const string NewMetaEpisode = "new_meta_episode";

    /// <summary>Block name of t/H.</summary>
    public const string MetaTime = "meta_time";

    /// <summary>Block name of tau/TH (0 for tasks without a task horizon).</summary>
    public const string TaskEpisodeTime = "task_episode_time";

    /// <summary>Block name of the task's own observation.</summary>
    public const string TaskObservation = "task_observation";

    /// <summary>Block name of (Q(s,·) − V(s))/c.</summary>
    public const string InnerAdvantage = "inner_advantage";

    /// <summary>Block name of V(s)/c.</summary>
    public const string InnerValue = "inner_value";

    /// <summary>Block name of SE_Q(s,·)/c.</summary>
    public const string InnerStandardErrorQ = "inner_standard_error_q";

    /// <summary>Block name of SE_V(s)/c.</summary>
    public const string InnerStandardErrorValue = "inner_standard_error_value";

    /// <summary>Block name of N(s,·)/10.</summary>
    public const string InnerVisitCounts = "inner_visit_counts";

    private readonly ObservationBlock[] _blocks;

    /// <summary>Creates the layout for A actions, a task observation of size m, with or without the inner block.</summary>
    /// <param name="actionCount">A (≥ 1).</param>
    /// <param name="taskObservationSize">m (≥ 0).</param>
    /// <param name="includeInnerBlock">True for RL³, false for RL².</param>
    public ObservationLayout(int actionCount, int taskObservationSize, bool includeInnerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(taskObservationSize);
        ActionCount = actionCount;
        TaskObservationSize = taskObservationSize;
        IncludesInnerBlock = includeInnerBlock;

        var blocks = new List<ObservationBlock>(11);
        int offset = 0;
        void Add(string name, int length)
        {
            blocks.Add(new ObservationBlock(name, offset, length));
            offset += length;
        }

        Add(PreviousAction, actionCount);
        Add(PreviousReward, 1);
        Add(NewMetaEpisode, 1);
        Add(MetaTime, 1);
        Add(TaskEpisodeTime, 1);
        Add(TaskObservation, taskObservationSize);
        if (includeInnerBlock)
        {
            Add(InnerAdvantage, actionCount);
            Add(InnerValue, 1);
            Add(InnerStandardErrorQ, actionCount);
            Add(InnerStandardErrorValue, 1);
            Add(InnerVisitCounts, actionCount);
        }

        _blocks = blocks.ToArray();
        Size = offset;
        Blocks = new ReadOnlyCollection<ObservationBlock>(_blocks);
    }

    /// <summary>Number of actions A.</summary>
    public int ActionCount { get; }

    /// <summary>Size m of the task's own observation.</summary>
    public int TaskObservationSize { get; }

    /// <summary>Whether the RL³ inner block is present.</summary>
    public bool IncludesInnerBlock { get; }

    /// <summary>Total observation size.</summary>
    public int Size { get; }

    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<ObservationBlock> Blocks { get; }

    /// <summary>Returns the block with the given name.</summary>
    /// <param name="name">One of the block-name constants of this class.</param>
    /// <returns>The block.</returns>
    /// <exception cref="KeyNotFoundException">No block has that name in this layout.</exception>
    public ObservationBlock this[string name]
    {
        get
        {
            foreach (var block in _blocks)
            {
                if (block.Name == name)
                {
                    return block;
                }
            }

            throw new KeyNotFoundException($"The layout has no block named '{name}'. Blocks: {string.Join(", ", _blocks.Select(b => b.Name))}.");
        }
    }

    /// <summary>Whether the layout has a block with the given name.</summary>
    /// <param name="name">The block name.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string name) => Array.Exists(_blocks, b => b.Name == name);

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(" | ", _blocks.Select(b => $"{b.Name}[{b.Offset}..{b.End})"));
}
