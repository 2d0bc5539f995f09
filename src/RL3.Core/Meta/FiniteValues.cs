using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RL3.Core.Meta;

/// <summary>Finds the first NaN or infinite element of a span, allocation-free (vector path plus scalar tail).</summary>
internal static class FiniteValues
{
    /// <summary>The index of the first element of <paramref name="values"/> that is NaN or ±∞, or −1 when all are finite.</summary>
    /// <param name="values">The values to check.</param>
    /// <returns>The index, or −1.</returns>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated && values.Length >= Vector128<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            int last = values.Length - Vector128<float>.Count;
            for (; i <= last; i += Vector128<float>.Count)
            {
                var v = Vector128.LoadUnsafe(ref start, (nuint)i);

                // x − x is 0 for every finite x and NaN for NaN and ±∞.
                if (!Vector128.EqualsAll(v - v, Vector128<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
