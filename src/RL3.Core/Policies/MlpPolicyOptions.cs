namespace RL3.Core.Policies;

/// <summary>
/// Options of <see cref="MlpPolicy"/> (RL³-Markov, METHOD §5): <see cref="HiddenLayers"/> layers of
/// <see cref="HiddenSize"/> units with ReLU, then Dense(→actions) for the actor, Dense(→1) for the critic. No memory.
/// </summary>
/// <remarks>Copied and validated when the policy is constructed; later changes have no effect.</remarks>
public sealed class MlpPolicyOptions
{
    /// <summary>Units per hidden layer (default 64; 1 to 65 536).</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Number of hidden layers (default 2; 1 to 64).</summary>
    public int HiddenLayers { get; set; } = 2;

    /// <summary>Seed of the initial parameters (actor and critic get derived streams; default 0).</summary>
    public ulong Seed { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its range.</summary>
    public void Validate()
    {
        const string T = nameof(MlpPolicyOptions);
        Guard.InRange(HiddenSize, 1, 65536, "options", T + "." + nameof(HiddenSize));
        Guard.InRange(HiddenLayers, 1, 64, "options", T + "." + nameof(HiddenLayers));
    }

    internal MlpPolicyOptions Clone() => (MlpPolicyOptions)MemberwiseClone();
}
