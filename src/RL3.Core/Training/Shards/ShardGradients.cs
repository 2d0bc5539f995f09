using System.Numerics.Tensors;

namespace RL3.Core.Training.Shards;

/// <summary>The learner's all-reduce: the shards' partial gradients summed element-wise in shard order.</summary>
internal static class ShardGradients
{
    /// <summary>
    /// destination = partials[0] + partials[1] + … + partials[S − 1], added left to right for every element (float).
    /// Element-wise addition gives the same bits on every vector path, so the sum depends only on the partials and S.
    /// </summary>
    /// <param name="partials">The shards' flat gradients, in shard order (at least one), each as long as <paramref name="destination"/>.</param>
    /// <param name="destination">Receives the sum.</param>
    public static void SumInShardOrder(ReadOnlySpan<float[]> partials, Span<float> destination)
    {
        if (partials.Length == 0)
        {
            throw new ArgumentException("partials must hold at least one shard's gradient.", nameof(partials));
        }

        partials[0].AsSpan().CopyTo(destination);
        for (int s = 1; s < partials.Length; s++)
        {
            TensorPrimitives.Add(destination, partials[s], destination);
        }
    }
}
