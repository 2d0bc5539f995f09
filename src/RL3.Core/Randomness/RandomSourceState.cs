namespace RL3.Core.Randomness;

/// <summary>The complete, serialisable state of a <see cref="RandomSource"/> (four 64-bit words).</summary>
/// <param name="S0">Word 0.</param>
/// <param name="S1">Word 1.</param>
/// <param name="S2">Word 2.</param>
/// <param name="S3">Word 3.</param>
public readonly record struct RandomSourceState(ulong S0, ulong S1, ulong S2, ulong S3);
