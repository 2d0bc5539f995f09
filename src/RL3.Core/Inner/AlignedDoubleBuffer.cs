using System.Runtime.CompilerServices;

namespace RL3.Core.Inner;

/// <summary>
/// Doubles on the pinned object heap whose first element starts on a 64-byte boundary, so that 256-bit loads of four
/// lanes at multiples of 4 never straddle a cache line.
/// </summary>
/// <remarks>
/// A managed <c>double[]</c> is only 8-byte aligned: where it lands decides whether half of a sweep's 32-byte loads
/// are split across two cache lines, and the sweep's speed changed by about a third from one process to the next.
/// Pinned, the array never moves, so the offset found at allocation stays valid.
/// </remarks>
internal sealed class AlignedDoubleBuffer
{
    private const int AlignmentBytes = 64;
    private readonly double[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="length"/> zeroed doubles.</summary>
    /// <param name="length">Number of elements (at least 0).</param>
    public unsafe AlignedDoubleBuffer(int length)
    {
        _array = GC.AllocateArray<double>(length + (AlignmentBytes / sizeof(double)), pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref _array[0]);
        _offset = (int)((AlignmentBytes - (address % AlignmentBytes)) % AlignmentBytes) / sizeof(double);
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements (the first on a 64-byte boundary).</summary>
    public Span<double> Span => new(_array, _offset, Length);
}
