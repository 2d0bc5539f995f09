namespace RL3.Core.Policies;

/// <summary>
/// A policy's update step, created by <see cref="IMetaPolicy.CreateOptimizer"/>: gradient norms and clipping per
/// parameter group, the optimiser step, flat copies of gradients and parameters, and the optimiser's own state.
/// The trainer drives it without knowing the engine behind the policy.
/// </summary>
/// <remarks>
/// <para>
/// One PPO minibatch: <see cref="IMetaPolicy.EvaluateSequences"/>, <see cref="ZeroGrad"/>,
/// <see cref="IMetaPolicy.BackwardSequences"/> (which adds into the gradients), <see cref="GradientNorm"/> /
/// <see cref="ClipGradientNorm"/>, then <see cref="Step"/>.
/// </para>
/// <para>
/// The flat layout of <see cref="CopyGradientsTo"/>, <see cref="CopyParametersTo"/> and their inverses is the actor's
/// parameters, then the critic's, each in the policy's fixed order, <see cref="ParameterCount"/> values in all: two
/// optimisers of policies built with the same shape and options agree on it, so gradients can be summed across
/// processes. Instances are not thread-safe; dispose the optimiser before its policy.
/// </para>
/// </remarks>
public interface IPolicyOptimizer : IDisposable
{
    /// <summary>The learning rate used by the next <see cref="Step"/> (both groups; finite, ≥ 0).</summary>
    double LearningRate { get; set; }

    /// <summary>Number of trainable scalars, actor and critic together (the length of the flat copies).</summary>
    int ParameterCount { get; }

    /// <summary>Sets the gradients of every actor and critic parameter to zero.</summary>
    void ZeroGrad();

    /// <summary>The global L2 norm √(Σ‖∇θ‖²) of the gradients of <paramref name="groups"/>.</summary>
    /// <param name="groups">The groups to cover.</param>
    /// <returns>The norm (accumulated in double).</returns>
    double GradientNorm(PolicyParameterGroups groups);

    /// <summary>
    /// Scales the gradients of <paramref name="groups"/> by <c>maxNorm / (norm + 1e-6)</c> when their global norm
    /// exceeds <paramref name="maxNorm"/> (PyTorch <c>clip_grad_norm_</c>).
    /// </summary>
    /// <param name="groups">The groups clipped together (one joint norm).</param>
    /// <param name="maxNorm">The largest allowed norm (positive).</param>
    /// <returns>The norm before clipping.</returns>
    double ClipGradientNorm(PolicyParameterGroups groups, double maxNorm);

    /// <summary>Takes one optimiser step of <paramref name="groups"/> with the current gradients (gradients are read, not cleared).</summary>
    /// <param name="groups">The groups to update; a group not named keeps its parameters and its step count.</param>
    void Step(PolicyParameterGroups groups);

    /// <summary>Copies every gradient into <paramref name="destination"/> in the flat layout.</summary>
    /// <param name="destination">Exactly <see cref="ParameterCount"/> values.</param>
    void CopyGradientsTo(Span<float> destination);

    /// <summary>Overwrites every gradient from <paramref name="source"/> (for example a sum over data-parallel workers).</summary>
    /// <param name="source">Exactly <see cref="ParameterCount"/> values in the flat layout.</param>
    void CopyGradientsFrom(ReadOnlySpan<float> source);

    /// <summary>Copies every parameter value into <paramref name="destination"/> in the flat layout.</summary>
    /// <param name="destination">Exactly <see cref="ParameterCount"/> values.</param>
    void CopyParametersTo(Span<float> destination);

    /// <summary>Overwrites every parameter value from <paramref name="source"/> (the optimiser's moments are kept).</summary>
    /// <param name="source">Exactly <see cref="ParameterCount"/> values in the flat layout.</param>
    void CopyParametersFrom(ReadOnlySpan<float> source);

    /// <summary>Writes the optimiser's state (step counts and moments; not the parameters, which the policy saves).</summary>
    /// <param name="stream">A writable stream.</param>
    void SaveState(Stream stream);

    /// <summary>Restores state written by <see cref="SaveState"/> of an optimiser of the same policy shape; on any mismatch nothing changes.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <exception cref="InvalidDataException">The data is not this optimiser's state or does not fit the policy (the message says which entry).</exception>
    void LoadState(Stream stream);
}
