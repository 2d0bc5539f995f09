using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The <c>torchsharp</c> policy backend (<see cref="PolicyBackends.TorchSharp"/>): builds the TorchSharp policy of a
/// <see cref="PolicyPreset"/>'s kind, with the kind's options, on <see cref="PolicyPreset.Device"/> with
/// <see cref="PolicyPreset.ThreadCount"/>. <see cref="PolicyPreset.CreatePolicy"/> finds it by name when this package is in
/// the application, so presets, <c>AddRL3()</c> and <c>rl3 train --set policy.backend=torchsharp</c> all reach it.
/// </summary>
public sealed class TorchSharpPolicyBackend : IPolicyBackend
{
    /// <inheritdoc/>
    public IMetaPolicy CreatePolicy(PolicyPreset preset, PolicyShape shape)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var options = new TorchSharpOptions { Device = preset.Device, ThreadCount = preset.ThreadCount };
        return preset.Kind switch
        {
            PolicyKind.Gru => new TorchGruPolicy(shape, preset.Gru, options),
            PolicyKind.Mlp => new TorchMlpPolicy(shape, preset.Mlp, options),
            PolicyKind.Transformer => new TorchTransformerPolicy(shape, preset.Transformer, options),
            _ => throw new ArgumentOutOfRangeException(nameof(preset), preset.Kind, $"policy.kind must be transformer, gru or mlp; got {preset.Kind}."),
        };
    }
}
