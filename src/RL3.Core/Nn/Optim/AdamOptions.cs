namespace RL3.Core.Nn.Optim;

/// <summary>Settings of <see cref="Adam"/>; defaults are the paper's (lr 3e-4, β 0.9/0.999, ε 1e-7, no decay).</summary>
public sealed class AdamOptions
{
    /// <summary>Learning rate η (default 3e-4). Can be changed later through <see cref="Adam.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>Decay of the first moment β₁ (default 0.9), in [0, 1).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Decay of the second moment β₂ (default 0.999), in [0, 1).</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>ε added to the denominator (default 1e-7, the paper's value; PyTorch's default is 1e-8).</summary>
    public double Epsilon { get; set; } = 1e-7;

    /// <summary>Weight decay λ (default 0; the paper's critic uses 0.01 with <see cref="WeightDecayMode.CoupledL2"/>).</summary>
    public double WeightDecay { get; set; }

    /// <summary>How the weight decay is applied (default <see cref="WeightDecayMode.CoupledL2"/>).</summary>
    public WeightDecayMode WeightDecayMode { get; set; } = WeightDecayMode.CoupledL2;
}
