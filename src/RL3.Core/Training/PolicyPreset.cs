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

    /// <summary>
    /// The engine that runs the policy: <c>inhouse</c> (default; <see cref="PolicyBackends.InHouse"/>) or <c>torchsharp</c>
    /// (<see cref="PolicyBackends.TorchSharp"/>, which needs the <c>RL3.Core.TorchSharp</c> package and a libtorch package in the
    /// application). Case-insensitive. Same kind, options and seed give the same initial weights on either engine.
    /// </summary>
    public string Backend { get; set; } = PolicyBackends.InHouse;

    /// <summary>The device of a <c>torchsharp</c> policy: <c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>. The in-house engine accepts only <c>cpu</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// libtorch's intra-op thread count for a <c>torchsharp</c> policy (1 to 1024), or null (default) to leave libtorch's
    /// setting; process-wide in libtorch. Must be null for the in-house engine (its parallelism is the kind's
    /// <c>MaxDegreeOfParallelism</c>).
    /// </summary>
    public int? ThreadCount { get; set; }

    /// <summary>
    /// Builds the <see cref="Kind"/> policy of <paramref name="shape"/> with that kind's options on <see cref="Backend"/> (the one
    /// place the kind and the backend are switched on).
    /// </summary>
    /// <param name="shape">The observation size, action count and context length.</param>
    /// <returns>A new, freshly initialised policy; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The kind is undefined, or the shape or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The backend is unknown, or the in-house engine is asked for a device or a thread count.</exception>
    /// <exception cref="InvalidOperationException">The backend's package is not in the application (the message names it).</exception>
    public IMetaPolicy CreatePolicy(PolicyShape shape)
    {
        if (PolicyBackends.Resolve(this) is { } backend)
        {
            return backend.CreatePolicy(this, shape);
        }

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
