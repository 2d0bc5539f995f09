namespace RL3.Core.Policies;

/// <summary>
/// A policy whose last <see cref="IMetaPolicy.EvaluateSequences"/> leaves its full action logits readable. The exact KL
/// early stop of PPO (<c>KlEarlyStop.ExactFullBatch</c>) needs it; every <see cref="ActorCriticPolicy"/> (the built-in
/// policies and users' subclasses) and the TorchSharp backend's policies implement it.
/// </summary>
public interface IEvaluatedLogits
{
    /// <summary>The actor's <c>[sequences · steps, A]</c> logits of the last <c>EvaluateSequences</c>, sequence-major as its inputs.</summary>
    /// <exception cref="InvalidOperationException">No <c>EvaluateSequences</c> since the last <c>Act</c>.</exception>
    ReadOnlySpan<float> EvaluatedLogits { get; }
}
