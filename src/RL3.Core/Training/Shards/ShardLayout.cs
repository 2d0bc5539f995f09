using RL3.Core.Randomness;

namespace RL3.Core.Training.Shards;

/// <summary>
/// How a PPO iteration of N slots is divided into S shards: the one place that says which slots, random streams and
/// minibatch sequences a shard owns (docs/distributed.md, "Shards and the seam").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Slots.</b> Shard s owns the contiguous global slots [s·N/S, (s+1)·N/S) with their random streams; global slot
/// i plays training task <c>TaskPosition + i</c>. S must divide N.</item>
/// <item><b>Streams.</b> Slot i's stream starts as <c>Derive(DeriveSeed(seed, 1), i)</c> whatever S; shard s acts with
/// its own acting stream and shuffles with its own shuffling stream (<see cref="InitialActingState"/>,
/// <see cref="InitialShuffleState"/>; shard 0's are the single-process trainer's streams). The learner carries every
/// stream's state from one iteration to the next (and in checkpoints).</item>
/// <item><b>Minibatches.</b> Every minibatch holds M/S sequences of every shard (S must divide M), so a shard's partial
/// gradient depends on its own data only. Per epoch, each shard permutes its own N/S sequences (a Fisher–Yates shuffle
/// from its shuffling stream, applied to the previous epoch's permutation; the identity under
/// <see cref="KlEarlyStop.ExactFullBatch"/>); minibatch b takes positions [b·M/S, (b+1)·M/S) of every shard's
/// permutation (fewer in the last minibatch when M does not divide N), shard 0's sequences first. With S = 1 this is
/// exactly the single-process order.</item>
/// </list>
/// </remarks>
public sealed class ShardLayout
{
    /// <summary>Creates the layout of <paramref name="shardCount"/> shards over <paramref name="slotCount"/> slots.</summary>
    /// <param name="slotCount">N, the slots (sequences) per iteration (≥ 1).</param>
    /// <param name="minibatchSequences">M, the sequences per minibatch (1 … N).</param>
    /// <param name="shardCount">S (1 … N), dividing both N and M.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range (the message names it and the range).</exception>
    /// <exception cref="ArgumentException">S does not divide N or M (the message lists the shard counts that fit).</exception>
    public ShardLayout(int slotCount, int minibatchSequences, int shardCount)
    {
        Validate(slotCount, minibatchSequences, shardCount, nameof(shardCount));
        SlotCount = slotCount;
        MinibatchSequences = minibatchSequences;
        ShardCount = shardCount;
        SlotsPerShard = slotCount / shardCount;
        ShardSequencesPerMinibatch = minibatchSequences / shardCount;
        MinibatchCount = (slotCount + minibatchSequences - 1) / minibatchSequences;
    }

    /// <summary>N, the slots (sequences) per iteration.</summary>
    public int SlotCount { get; }

    /// <summary>M, the sequences per (full) minibatch.</summary>
    public int MinibatchSequences { get; }

    /// <summary>S.</summary>
    public int ShardCount { get; }

    /// <summary>N / S, the slots of every shard.</summary>
    public int SlotsPerShard { get; }

    /// <summary>M / S, each shard's sequences in a full minibatch.</summary>
    public int ShardSequencesPerMinibatch { get; }

    /// <summary>The minibatches per epoch, ⌈N / M⌉.</summary>
    public int MinibatchCount { get; }

    /// <summary>The first global slot of shard <paramref name="shard"/>.</summary>
    /// <param name="shard">The shard, in [0, S).</param>
    /// <returns>s·N/S.</returns>
    public int FirstSlot(int shard)
    {
        Guard.Index(shard, ShardCount, nameof(shard));
        return shard * SlotsPerShard;
    }

    /// <summary>Each shard's sequences in minibatch <paramref name="minibatch"/> (M/S except, possibly, in the last).</summary>
    /// <param name="minibatch">The minibatch, in [0, <see cref="MinibatchCount"/>).</param>
    /// <returns>The count.</returns>
    public int ShardSequencesIn(int minibatch)
    {
        Guard.Index(minibatch, MinibatchCount, nameof(minibatch));
        return Math.Min(ShardSequencesPerMinibatch, SlotsPerShard - (minibatch * ShardSequencesPerMinibatch));
    }

    /// <summary>The first position of minibatch <paramref name="minibatch"/> in every shard's permutation.</summary>
    /// <param name="minibatch">The minibatch, in [0, <see cref="MinibatchCount"/>).</param>
    /// <returns>b·M/S.</returns>
    public int ShardOffsetOf(int minibatch)
    {
        Guard.Index(minibatch, MinibatchCount, nameof(minibatch));
        return minibatch * ShardSequencesPerMinibatch;
    }

    /// <summary>The initial state of global slot <paramref name="slot"/>'s random stream (the stream its tasks draw from).</summary>
    /// <param name="seed">The run's seed (<see cref="PpoOptions.Seed"/>).</param>
    /// <param name="slot">The global slot (≥ 0).</param>
    /// <returns><c>Derive(DeriveSeed(seed, 1), slot)</c>'s state.</returns>
    public static RandomSourceState InitialSlotState(ulong seed, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        return RandomSource.Derive(RandomSource.DeriveSeed(seed, 1), (ulong)slot).GetState();
    }

    /// <summary>The initial state of shard <paramref name="shard"/>'s acting stream: stream 3 of the seed for shard 0, stream s of that for shard s &gt; 0.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="shard">The shard (≥ 0).</param>
    /// <returns>The state.</returns>
    public static RandomSourceState InitialActingState(ulong seed, int shard) => ShardStream(seed, 3, shard);

    /// <summary>The initial state of shard <paramref name="shard"/>'s shuffling stream: stream 4 of the seed for shard 0, stream s of that for shard s &gt; 0.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="shard">The shard (≥ 0).</param>
    /// <returns>The state.</returns>
    public static RandomSourceState InitialShuffleState(ulong seed, int shard) => ShardStream(seed, 4, shard);

    /// <summary>Throws unless S fits N and M; the message names <paramref name="name"/> and the allowed values.</summary>
    internal static void Validate(int slotCount, int minibatchSequences, int shardCount, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        Guard.InRange(minibatchSequences, 1, slotCount, nameof(minibatchSequences));
        if (shardCount < 1 || shardCount > slotCount)
        {
            throw new ArgumentOutOfRangeException(name, shardCount, $"{name} must be in [1, N = {slotCount}] (at most one shard per environment slot) but is {shardCount}.");
        }

        if (slotCount % shardCount != 0 || minibatchSequences % shardCount != 0)
        {
            var fits = Enumerable.Range(1, minibatchSequences).Where(s => slotCount % s == 0 && minibatchSequences % s == 0);
            throw new ArgumentException($"{name} ({shardCount}) must divide both the environment count N = {slotCount} and MinibatchSequences = {minibatchSequences} (every shard owns N/S slots and M/S sequences of every minibatch); shard counts that fit: {string.Join(", ", fits)}.", name);
        }
    }

    private static RandomSourceState ShardStream(ulong seed, ulong stream, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ulong root = RandomSource.DeriveSeed(seed, stream);
        return (shard == 0 ? new RandomSource(root) : RandomSource.Derive(root, (ulong)shard)).GetState();
    }
}
