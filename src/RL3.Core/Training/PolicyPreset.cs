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

    /// <summary>Builds the <see cref="Kind"/> policy of <paramref name="shape"/> with that kind's options (the one place the kind is switched on).</summary>
    /// <param name="shape">The observation size, action count and context length.</param>
    /// <returns>A new, freshly initialised policy; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The kind is undefined, or the shape or an option is out of range.</exception>
    public IMetaPolicy CreatePolicy(PolicyShape shape)
    {
        switch (Kind)
        {
            case PolicyKind.Transformer:
                var transformer = Transformer.Clone();
                transformer.ObservationSize = shape.ObservationSize;
                transformer.ActionCount = shape.ActionCount;
                transformer.ContextLength = shape.ContextLength;
                return new TransformerPolicy(transformer);
            case PolicyKind.Gru:
                var gru = Gru.Clone();
                gru.ObservationSize = shape.ObservationSize;
                gru.ActionCount = shape.ActionCount;
                return new GruPolicy(gru);
            case PolicyKind.Mlp:
                var mlp = Mlp.Clone();
                mlp.ObservationSize = shape.ObservationSize;
                mlp.ActionCount = shape.ActionCount;
                return new MlpPolicy(mlp);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"policy.kind must be transformer, gru or mlp; got {Kind}.");
        }
    }
}
