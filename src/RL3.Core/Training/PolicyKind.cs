namespace RL3.Core.Training;

/// <summary>The built-in meta-policy architectures (docs/method.md §5).</summary>
public enum PolicyKind
{
    /// <summary>Causal transformer with a KV cache (the paper's default).</summary>
    Transformer = 0,

    /// <summary>GRU.</summary>
    Gru = 1,

    /// <summary>MLP without memory (RL³-Markov).</summary>
    Mlp = 2,
}
