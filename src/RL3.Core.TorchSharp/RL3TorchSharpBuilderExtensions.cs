using RL3.Core.DependencyInjection;
using RL3.Core.Training;
using RL3.Core.TorchSharp;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>UseTorchSharp()</c> for <c>services.AddRL3()</c>: the built-in policy runs on TorchSharp.</summary>
public static class RL3TorchSharpBuilderExtensions
{
    /// <summary>
    /// Makes the built-in policy (<see cref="RL3Options.Policy"/>, with its bound options) run on TorchSharp: sets
    /// <see cref="RL3Options.PolicyBackend"/> to <c>torchsharp</c> and the device and thread count from <paramref name="configure"/>.
    /// The application also needs one libtorch package (docs/torchsharp.md).
    /// </summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="configure">Sets the device (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) and libtorch's process-wide thread count; null for CPU and libtorch's own thread count.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentException">The device name is malformed or the thread count is out of range (checked now).</exception>
    public static IRL3Builder UseTorchSharp(this IRL3Builder builder, Action<TorchSharpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new TorchSharpOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Configure(o =>
        {
            o.PolicyBackend = PolicyBackends.TorchSharp;
            o.PolicyDevice = options.Device;
            o.PolicyThreadCount = options.ThreadCount;
        });
    }
}
