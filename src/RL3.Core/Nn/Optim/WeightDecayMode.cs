namespace RL3.Core.Nn.Optim;

/// <summary>How <see cref="Adam"/> applies its weight decay λ.</summary>
public enum WeightDecayMode
{
    /// <summary>
    /// Coupled L2: <c>g ← g + λ·θ</c> before the moment updates (PyTorch <c>Adam(weight_decay=λ)</c>;
    /// the reference critic's setting).
    /// </summary>
    CoupledL2 = 0,

    /// <summary>Decoupled (AdamW, Loshchilov &amp; Hutter 2019): <c>θ ← θ − η·λ·θ</c>, separate from the Adam step.</summary>
    Decoupled = 1,
}
