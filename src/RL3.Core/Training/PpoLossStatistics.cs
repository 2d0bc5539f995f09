namespace RL3.Core.Training;

/// <summary>The losses and diagnostics of one PPO minibatch.</summary>
/// <param name="PolicyLoss">−mean(min(ρA, clip(ρ, 1±ε)A)).</param>
/// <param name="ValueLoss">mean((V − R)²), R the fixed critic target.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean of (ρ − 1) − log ρ, an unbiased, non-negative estimator of KL(π_old‖π).</param>
/// <param name="ClipFraction">Fraction of tokens with |ρ − 1| &gt; ε.</param>
/// <param name="TotalLoss">PolicyLoss + c_v·ValueLoss − c_ent·Entropy (actor terms omitted when the actor is frozen).</param>
public readonly record struct PpoLossStatistics(double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction, double TotalLoss);
