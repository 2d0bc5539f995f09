using RL3.Core.Policies;

namespace RL3.Core.Training;

/// <summary>
/// Which policy architecture a preset trains, with each architecture's options (pure hyperparameters). The shape
/// (observation size, action count, context length) comes from the meta-environment when the policy is built.
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

    /// <summary>Builds the <see cref="Kind"/> policy of <paramref name="shape"/> with that kind's options (the one place the kind is switched on).</summary>
    /// <param name="shape">The observation size, action count and context length.</param>
    /// <returns>A new, freshly initialised policy; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The kind is undefined, or the shape or an option is out of range.</exception>
    public IMetaPolicy CreatePolicy(PolicyShape shape)
    {
        switch (Kind)
        {
            case PolicyKind.Transformer:
                return new TransformerPolicy(shape, Transformer);
            case PolicyKind.Gru:
                return new GruPolicy(shape, Gru);
            case PolicyKind.Mlp:
                return new MlpPolicy(shape, Mlp);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"policy.kind must be transformer, gru or mlp; got {Kind}.");
        }
    }
}
