namespace RL3.Core.Meta;

/// <summary>One named, contiguous block of the meta-observation vector.</summary>
/// <param name="Name">The block's stable name (see <see cref="ObservationLayout"/> for the list).</param>
/// <param name="Offset">Index of the block's first element.</param>
/// <param name="Length">Number of elements.</param>
public readonly record struct ObservationBlock(string Name, int Offset, int Length)
{
    /// <summary>Index one past the block's last element.</summary>
    public int End => Offset + Length;
}
