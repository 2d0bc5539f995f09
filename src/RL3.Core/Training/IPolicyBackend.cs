using RL3.Core.Policies;

namespace RL3.Core.Training;

/// <summary>
/// A policy backend: builds the policy a <see cref="PolicyPreset"/> describes (its kind and options) on another engine than
/// the in-house one. <see cref="PolicyPreset.CreatePolicy"/> finds the backend named by <see cref="PolicyPreset.Backend"/>.
/// </summary>
/// <remarks>
/// RL3.Core has no dependency on any backend: a backend lives in its own package (<c>RL3.Core.TorchSharp</c> for
/// <c>torchsharp</c>), and <see cref="PolicyPreset.CreatePolicy"/> loads it by name when the application carries that package.
/// </remarks>
public interface IPolicyBackend
{
    /// <summary>Builds the <see cref="PolicyPreset.Kind"/> policy of <paramref name="shape"/> with the preset's options, device and thread count.</summary>
    /// <param name="preset">The policy section of the run (kind, the kind's options, <see cref="PolicyPreset.Device"/>, <see cref="PolicyPreset.ThreadCount"/>).</param>
    /// <param name="shape">The observation size, action count and context length.</param>
    /// <returns>A new, freshly initialised policy; the caller disposes it.</returns>
    IMetaPolicy CreatePolicy(PolicyPreset preset, PolicyShape shape);
}
