namespace RL3.Core.TorchSharp;

/// <summary>
/// TorchSharp's native library could not be loaded; the message names the real cause (for example a libstdc++ older
/// than the one <c>libLibTorchSharp.so</c> was built against, or no libtorch package in the application) and the fix.
/// </summary>
/// <remarks>
/// TorchSharp itself reports every native load failure as a missing <c>libtorch-cpu-…</c> package reference, which is
/// misleading when the package is there but a dependency of the native library is not. See docs/torchsharp.md.
/// </remarks>
public sealed class TorchSharpLoadException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The cause and the fix.</param>
    /// <param name="innerException">The loader's own exception.</param>
    public TorchSharpLoadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TorchSharpLoadException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The cause and the fix.</param>
    public TorchSharpLoadException(string message)
        : base(message)
    {
    }
}
