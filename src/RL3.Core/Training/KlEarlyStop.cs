namespace RL3.Core.Training;

/// <summary>How PPO measures KL(π_old‖π) to stop the actor's epochs early (<see cref="PpoOptions.KlEarlyStop"/>; docs/training.md).</summary>
public enum KlEarlyStop
{
    /// <summary>
    /// This library's original rule (CleanRL-like): minibatches reshuffled every epoch; each minibatch's approximate KL,
    /// mean((ρ − 1) − log ρ) over its taken actions (ρ = π(a|s)/π_old(a|s)), is taken <i>before</i> that minibatch's update; the
    /// actor stops after an epoch whose mean of those estimates reaches <see cref="PpoOptions.TargetKl"/>. The estimates
    /// lag one update behind, so it stops later than <see cref="ExactFullBatch"/>.
    /// </summary>
    MinibatchEstimates,

    /// <summary>
    /// The authors' rule (their PPO.jl): minibatches in a fixed order (sequences 0 … N − 1, never shuffled); after each
    /// actor epoch the exact KL, mean over every step of the batch of Σ_a π_old(a|s)(log π_old(a|s) − log π(a|s)), is
    /// computed with the updated actor; the actor stops once it reaches <see cref="PpoOptions.TargetKl"/>. Costs one
    /// extra forward pass over the batch per actor epoch (and one before the first). Needs a policy derived from
    /// <c>ActorCriticPolicy</c> (the built-in ones and users' subclasses), whose full action distributions it reads.
    /// </summary>
    ExactFullBatch,
}
