using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp.Transformer;

/// <summary>Layers built without drawing from libtorch's global generator (the policy imports its initial weights).</summary>
internal static class TorchLayers
{
    /// <summary>A dense layer <c>y = x Wᵀ + b</c> with zero <c>W [out, in]</c> and <c>b [out]</c>.</summary>
    public static Linear Dense(int inFeatures, int outFeatures, Device device) =>
        nn.Linear(
            new Parameter(zeros(new long[] { outFeatures, inFeatures }, ScalarType.Float32, device)),
            new Parameter(zeros(new long[] { outFeatures }, ScalarType.Float32, device)));

    /// <summary>LayerNorm over the last dimension with γ = 1, β = 0.</summary>
    public static LayerNorm Norm(int features, float epsilon, Device device) =>
        nn.LayerNorm(features, epsilon, device: device, dtype: ScalarType.Float32);
}
