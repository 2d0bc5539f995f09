namespace RL3.Core.Nn;

/// <summary>How <see cref="Gemm"/> reads an operand: as stored, or transposed.</summary>
public enum MatrixOp
{
    /// <summary>Use the operand as stored (BLAS "N").</summary>
    None = 0,

    /// <summary>Use the transpose of the stored operand (BLAS "T").</summary>
    Transpose = 1,
}
