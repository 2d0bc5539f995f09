using System.Numerics.Tensors;

namespace RL3.Core.Nn.Optim;

/// <summary>Global gradient-norm computation and clipping (PyTorch <c>clip_grad_norm_</c> semantics).</summary>
public static class GradientClipping
{
    /// <summary>The global L2 norm <c>√(Σ_p ‖∇p‖²)</c> of all gradients (accumulated in double).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The norm.</returns>
    public static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (var p in parameters)
        {
            var g = p.Gradient.Span;
            for (int i = 0; i < g.Length; i += 4096)
            {
                sum += TensorPrimitives.SumOfSquares(g.Slice(i, Math.Min(4096, g.Length - i)));
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales every gradient by <c>maxNorm / (norm + 1e-6)</c> when the global norm exceeds <paramref name="maxNorm"/>.
    /// </summary>
    /// <param name="parameters">The parameters (enumerated twice).</param>
    /// <param name="maxNorm">The largest allowed global norm (positive).</param>
    /// <returns>The global norm before clipping.</returns>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        }

        double norm = GlobalNorm(parameters);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in parameters)
            {
                TensorPrimitives.Multiply(p.Gradient.Span, scale, p.Gradient.Span);
            }
        }

        return norm;
    }
}
