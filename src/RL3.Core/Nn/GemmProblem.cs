namespace RL3.Core.Nn;

/// <summary>One GEMM call with validated arguments (pointers into pinned storage).</summary>
internal readonly unsafe struct GemmProblem
{
    public readonly GemmKernelKind Kernel;
    public readonly bool TransA;
    public readonly bool TransB;
    public readonly int M;
    public readonly int N;
    public readonly int K;
    public readonly float Alpha;
    public readonly float* A;
    public readonly int Lda;
    public readonly float* B;
    public readonly int Ldb;
    public readonly float Beta;
    public readonly float* C;
    public readonly int Ldc;

    public GemmProblem(
        GemmKernelKind kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Kernel = kernel;
        TransA = transA;
        TransB = transB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        C = c;
        Ldc = ldc;
    }

    /// <summary>The sub-problem of rows [r0, r1) and columns [c0, c1) of C.</summary>
    public GemmProblem Block(int r0, int r1, int c0, int c1)
    {
        float* a = TransA ? A + r0 : A + ((long)r0 * Lda);
        float* b = TransB ? B + ((long)c0 * Ldb) : B + c0;
        return new GemmProblem(Kernel, TransA, TransB, r1 - r0, c1 - c0, K, Alpha, a, Lda, b, Ldb, Beta, C + ((long)r0 * Ldc) + c0, Ldc);
    }
}
