namespace RL3.Core.Nn;

/// <summary>
/// The key/value cache of one causal self-attention layer for a batch of independent slots: the keys and values of
/// every token each slot has seen, so that a new token attends to its history without recomputing it.
/// </summary>
/// <remarks>
/// Keys are stored transposed per slot (<c>[features, capacity]</c>, so the scores of one query against all cached
/// keys are contiguous vector FMAs) and values row-major (<c>[capacity, features]</c>). Which positions of a slot
/// are valid is decided by the caller (the position passed to <c>CausalSelfAttention.Step</c>); resetting a slot is
/// therefore only a matter of starting again at position 0, and nothing here needs clearing.
/// </remarks>
public sealed class AttentionCache
{
    /// <summary>Creates an empty cache.</summary>
    /// <param name="slots">Number of independent slots (≥ 1).</param>
    /// <param name="capacity">Tokens each slot can hold (≥ 1).</param>
    /// <param name="features">Key/value width (the model dimension, ≥ 1).</param>
    public AttentionCache(int slots, int capacity, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Slots = slots;
        Capacity = capacity;
        Features = features;
        KeyStride = (capacity + 15) & ~15;
        long keys = (long)slots * features * KeyStride;
        long values = (long)slots * capacity * features;
        if (keys > Array.MaxLength || values > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, $"{slots} slots × {capacity} positions × {features} features do not fit in one array; use fewer slots or a shorter context.");
        }

        Keys = new float[keys];
        Values = new float[values];
    }

    /// <summary>Number of slots.</summary>
    public int Slots { get; }

    /// <summary>Tokens each slot can hold.</summary>
    public int Capacity { get; }

    /// <summary>Key/value width.</summary>
    public int Features { get; }

    /// <summary>Row stride of the transposed keys (capacity rounded up to a multiple of 16).</summary>
    internal int KeyStride { get; }

    /// <summary>Transposed keys, <c>[slots, features, KeyStride]</c>.</summary>
    internal float[] Keys { get; }

    /// <summary>Values, <c>[slots, capacity, features]</c>.</summary>
    internal float[] Values { get; }
}
