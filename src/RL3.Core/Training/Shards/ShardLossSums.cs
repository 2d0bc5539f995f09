namespace RL3.Core.Training.Shards;

/// <summary>
/// One shard's partial sums of the PPO loss terms over its tokens of one minibatch (<see cref="PpoLoss.Accumulate"/>);
/// the learner adds the shards' sums in shard order and divides by the minibatch's token count.
/// </summary>
/// <param name="Tokens">The shard's tokens in the minibatch.</param>
/// <param name="PolicySum">Σ min(ρA, clip(ρ, 1 ± ε)A).</param>
/// <param name="ValueSum">Σ (V − R)².</param>
/// <param name="EntropySum">Σ H.</param>
/// <param name="ApproxKlSum">Σ (ρ − 1) − log ρ.</param>
/// <param name="ClippedCount">Tokens with |ρ − 1| &gt; ε.</param>
public readonly record struct ShardLossSums(int Tokens, double PolicySum, double ValueSum, double EntropySum, double ApproxKlSum, int ClippedCount);
