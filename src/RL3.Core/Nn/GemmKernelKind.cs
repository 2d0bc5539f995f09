namespace RL3.Core.Nn;

/// <summary>The instruction-set path of a <see cref="Gemm"/> call (chosen automatically; selectable for tests and benchmarks).</summary>
public enum GemmKernelKind
{
    /// <summary>Pick the widest path the CPU supports.</summary>
    Auto = 0,

    /// <summary>Portable scalar code (fused multiply-add per element).</summary>
    Scalar = 1,

    /// <summary>AVX2 + FMA3, 256-bit vectors, 6×16 register tile.</summary>
    Vector256 = 2,

    /// <summary>AVX-512F, 512-bit vectors, 12×32 register tile.</summary>
    Vector512 = 3,
}
