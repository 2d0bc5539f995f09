using System.Runtime.InteropServices;

namespace RL3.Core.Orleans.Messages;

/// <summary>
/// A contiguous run of floats on the wire: weights or a gradient, carried as one byte array (little-endian IEEE 754,
/// the in-memory layout), so the Orleans serializer writes it as one length-prefixed blob, 4 bytes per float, instead of
/// one field per element (a <c>float[]</c> costs 5 bytes per element and about ten times the time; see
/// /work/shared/design/PROBES.md and docs/distributed.md).
/// </summary>
[GenerateSerializer, Immutable]
internal sealed class FloatBuffer
{
    /// <summary>Creates a buffer over <paramref name="bytes"/> (not copied).</summary>
    /// <param name="bytes">The raw floats; a multiple of 4 bytes long.</param>
    public FloatBuffer(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"a float buffer is a multiple of {sizeof(float)} bytes long; got {bytes.Length}.", nameof(bytes));
        }

        Bytes = bytes;
    }

    /// <summary>The raw floats.</summary>
    [Id(0)]
    public byte[] Bytes { get; }

    /// <summary>The number of floats.</summary>
    public int Count => Bytes.Length / sizeof(float);

    /// <summary>The floats, read in place.</summary>
    public ReadOnlySpan<float> Values => MemoryMarshal.Cast<byte, float>(Bytes);

    /// <summary>A buffer holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The floats to send.</param>
    /// <returns>The buffer.</returns>
    public static FloatBuffer CopyOf(ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RL3.Core.Orleans sends floats in their little-endian memory layout; this machine is big-endian.");
        }

        return new FloatBuffer(MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>Copies the floats into <paramref name="destination"/>, which must have exactly <see cref="Count"/> elements.</summary>
    /// <param name="destination">Where the floats go.</param>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != Count)
        {
            throw new ArgumentException($"the destination has {destination.Length} floats; the buffer holds {Count}.", nameof(destination));
        }

        Values.CopyTo(destination);
    }
}
