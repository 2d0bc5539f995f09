using RL3.Core.Policies;

namespace RL3.Core.Training;

/// <summary>
/// Which policy architecture a preset trains, with each architecture's options. Observation size, action count and
/// (for the transformer) context length are filled in from the meta-environment when the policy is built.
/// </summary>
public sealed class PolicyPreset
{
    /// <summary>The architecture. Default <see cref="PolicyKind.Transformer"/>.</summary>
    public PolicyKind Kind { get; set; } = PolicyKind.Transformer;

    /// <summary>Options used when <see cref="Kind"/> is <see cref="PolicyKind.Transformer"/>.</summary>
    public TransformerPolicyOptions Transformer { get; set; } = new();

    /// <summary>Options used when <see cref="Kind"/> is <see cref="PolicyKind.Gru"/>.</summary>
    public GruPolicyOptions Gru { get; set; } = new();

    /// <summary>Options used when <see cref="Kind"/> is <see cref="PolicyKind.Mlp"/>.</summary>
    public MlpPolicyOptions Mlp { get; set; } = new();
}
