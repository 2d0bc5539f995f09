namespace RL3.Core.TorchSharp;

/// <summary>
/// Where and how the TorchSharp backend runs: the device of a policy's tensors and, optionally, libtorch's thread count.
/// </summary>
/// <remarks>Copied and validated when a policy is built; later changes have no effect on it.</remarks>
public sealed class TorchSharpOptions
{
    /// <summary>
    /// The device: <c>cpu</c> (default), <c>cuda</c> (the current CUDA device) or <c>cuda:N</c> (device N ≥ 0). A CUDA device
    /// needs a libtorch-cuda package in the application and a visible GPU; building a policy fails with a clear error otherwise.
    /// </summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// libtorch's intra-op thread count, 1 to 1024, or null (default) to leave it as it is. libtorch has one pool per
    /// process, so setting it affects every torch policy in the process; it is set when a policy is built, never otherwise.
    /// </summary>
    public int? ThreadCount { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option outside its range (without touching libtorch).</summary>
    /// <exception cref="ArgumentException"><see cref="Device"/> is not <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ThreadCount"/> is outside 1 to 1024.</exception>
    public void Validate()
    {
        TorchDevices.Parse(Device, "options");
        if (ThreadCount is { } t && t is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException("options", t, $"{nameof(TorchSharpOptions)}.{nameof(ThreadCount)} must be in [1, 1024] or null (leave libtorch's setting); got {t}.");
        }
    }

    internal TorchSharpOptions Clone() => (TorchSharpOptions)MemberwiseClone();
}
