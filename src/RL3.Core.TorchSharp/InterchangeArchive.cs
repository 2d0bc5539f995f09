using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The weight interchange between the engines: a policy's parameters as the in-house policy file (a
/// <see cref="TensorArchive"/> keyed by the in-house parameter names, weights <c>[in, out]</c>, plus the observation size
/// and action count). <see cref="IMetaPolicy.Save"/> writes it for either engine and <see cref="IMetaPolicy.Load"/> reads it.
/// </summary>
public static class InterchangeArchive
{
    /// <summary>The parameters of <paramref name="policy"/> (either engine) as an archive.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>A new archive.</returns>
    public static TensorArchive Of(IMetaPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var stream = new MemoryStream();
        policy.Save(stream);
        stream.Position = 0;
        return TensorArchive.ReadFrom(stream);
    }

    /// <summary>Copies the parameters of <paramref name="source"/> into <paramref name="destination"/> (same architecture, either engine each).</summary>
    /// <param name="source">The policy to read.</param>
    /// <param name="destination">The policy to overwrite.</param>
    /// <exception cref="InvalidDataException">The architectures differ (the message names the first mismatch); the destination is unchanged.</exception>
    public static void Copy(IMetaPolicy source, IMetaPolicy destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var stream = new MemoryStream();
        source.Save(stream);
        stream.Position = 0;
        destination.Load(stream);
    }
}
