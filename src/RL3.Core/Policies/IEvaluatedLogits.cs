namespace RL3.Core.Policies;

/// <summary>A policy whose last <see cref="IMetaPolicy.EvaluateSequences"/> left its full action logits readable (every <see cref="ActorCriticPolicy"/>: the built-in policies and users' subclasses).</summary>
internal interface IEvaluatedLogits
{
    /// <summary>The actor's <c>[sequences · steps, A]</c> logits of the last <c>EvaluateSequences</c>.</summary>
    /// <exception cref="InvalidOperationException">No <c>EvaluateSequences</c> since the last <c>Act</c>.</exception>
    ReadOnlySpan<float> EvaluatedLogits { get; }
}
