namespace RL3.Core.Policies;

/// <summary>
/// Options of <see cref="TransformerPolicy"/> (METHOD §5): Dense(obs→<see cref="EmbeddingHiddenSize"/>, ReLU) →
/// Dense(→<see cref="ModelDim"/>, ReLU) → LayerNorm → + learned positions → <see cref="Layers"/> post-LN decoder blocks
/// → ReLU → Dense(→actions) for the actor, Dense(→1) for the critic.
/// </summary>
/// <remarks>Copied and validated when the policy is constructed; later changes have no effect.</remarks>
public sealed class TransformerPolicyOptions
{
    /// <summary>Width of the first input layer (default 256; 1 to 65 536).</summary>
    public int EmbeddingHiddenSize { get; set; } = 256;

    /// <summary>Model dimension d (default 64; 1 to 65 536; divisible by <see cref="Heads"/>).</summary>
    public int ModelDim { get; set; } = 64;

    /// <summary>Attention heads (default 4; 1 to <see cref="ModelDim"/>).</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Feed-forward hidden size (default 256; 1 to 65 536).</summary>
    public int FeedForwardDim { get; set; } = 256;

    /// <summary>Decoder blocks (default 2; 1 to 64).</summary>
    public int Layers { get; set; } = 2;

    /// <summary>LayerNorm ε (default 1e-5; positive).</summary>
    public float LayerNormEpsilon { get; set; } = 1e-5f;

    /// <summary>Seed of the initial parameters (actor and critic get derived streams; default 0).</summary>
    public ulong Seed { get; set; }

    /// <summary>
    /// 1 (default): everything on the calling thread, allocation-free. -1 (all cores) or ≥ 2: actor and critic run
    /// concurrently and the attention work (slots when acting, sequence × head when training) is spread over threads;
    /// acting then allocates the task bookkeeping. Results are bit-identical for every value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its range.</summary>
    public void Validate()
    {
        const string T = nameof(TransformerPolicyOptions);
        Guard.InRange(EmbeddingHiddenSize, 1, 65536, "options", T + "." + nameof(EmbeddingHiddenSize));
        Guard.InRange(ModelDim, 1, 65536, "options", T + "." + nameof(ModelDim));
        Guard.InRange(Heads, 1, ModelDim, "options", T + "." + nameof(Heads));
        if (ModelDim % Heads != 0)
        {
            throw new ArgumentOutOfRangeException("options", Heads, $"{T}.{nameof(Heads)} must divide {nameof(ModelDim)} ({ModelDim}) but is {Heads}.");
        }

        Guard.InRange(FeedForwardDim, 1, 65536, "options", T + "." + nameof(FeedForwardDim));
        Guard.InRange(Layers, 1, 64, "options", T + "." + nameof(Layers));
        Guard.Positive(LayerNormEpsilon, "options", T + "." + nameof(LayerNormEpsilon));
        Guard.Parallelism(MaxDegreeOfParallelism, "options", T + "." + nameof(MaxDegreeOfParallelism));
    }

    internal TransformerPolicyOptions Clone() => (TransformerPolicyOptions)MemberwiseClone();
}
