namespace RL3.Core.Policies;

/// <summary>
/// Options of <see cref="GruPolicy"/> (METHOD §5): Dense(obs→<see cref="EmbeddingSize"/>, ReLU) →
/// GRU(→<see cref="HiddenSize"/>) → Dense(→actions) for the actor, Dense(→1) for the critic.
/// </summary>
/// <remarks>Copied and validated when the policy is constructed; later changes have no effect.</remarks>
public sealed class GruPolicyOptions
{
    /// <summary>Width of the input layer (default 64; 1 to 65 536).</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>GRU hidden size (default 256; 1 to 65 536).</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Seed of the initial parameters (actor and critic get derived streams; default 0).</summary>
    public ulong Seed { get; set; }

    /// <summary>
    /// 1 (default): actor and critic run one after the other on the calling thread, allocation-free. -1 (all cores) or
    /// ≥ 2: they run concurrently (acting allocates the task bookkeeping then). Results are bit-identical for every value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its range.</summary>
    public void Validate()
    {
        const string T = nameof(GruPolicyOptions);
        Guard.InRange(EmbeddingSize, 1, 65536, "options", T + "." + nameof(EmbeddingSize));
        Guard.InRange(HiddenSize, 1, 65536, "options", T + "." + nameof(HiddenSize));
        Guard.Parallelism(MaxDegreeOfParallelism, "options", T + "." + nameof(MaxDegreeOfParallelism));
    }

    internal GruPolicyOptions Clone() => (GruPolicyOptions)MemberwiseClone();
}
