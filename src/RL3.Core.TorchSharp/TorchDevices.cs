using System.Globalization;
using TorchSharp;

namespace RL3.Core.TorchSharp;

/// <summary>Parses and checks the device names of <see cref="TorchSharpOptions.Device"/>: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>.</summary>
public static class TorchDevices
{
    /// <summary>
    /// Resolves <paramref name="device"/> to a torch device that exists in this process (loading libtorch first).
    /// </summary>
    /// <param name="device"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentException">The name is malformed, or names a CUDA device this process cannot see (the message says how many it sees and what to add).</exception>
    /// <exception cref="TorchSharpLoadException">The native library did not load.</exception>
    public static torch.Device Resolve(string device)
    {
        var (type, index) = Parse(device, nameof(device));
        TorchRuntime.EnsureLoaded();
        if (type == DeviceType.CPU)
        {
            return torch.CPU;
        }

        bool available = torch.cuda.is_available();
        int count = available ? torch.cuda.device_count() : 0;
        if (count == 0)
        {
            throw new ArgumentException(
                $"device '{device}' is not available: this process sees no CUDA device. Reference a CUDA libtorch package in the application " +
                "(libtorch-cuda-12.8-linux-x64 or libtorch-cuda-12.8-win-x64, version 2.10.0, instead of libtorch-cpu), check the NVIDIA driver, or use device 'cpu'.",
                nameof(device));
        }

        if (index >= count)
        {
            throw new ArgumentException($"device '{device}' is not available: this process sees {count} CUDA device(s), cuda:0 to cuda:{count - 1}.", nameof(device));
        }

        return index < 0 ? torch.CUDA : torch.device(DeviceType.CUDA, index);
    }

    /// <summary>Parses a device name without loading libtorch.</summary>
    /// <param name="device">The name.</param>
    /// <param name="paramName">The parameter named in the error.</param>
    /// <returns>The device type and index (-1 for the current device).</returns>
    internal static (DeviceType Type, int Index) Parse(string? device, string paramName)
    {
        string d = (device ?? string.Empty).Trim().ToLowerInvariant();
        if (d == "cpu")
        {
            return (DeviceType.CPU, -1);
        }

        if (d == "cuda")
        {
            return (DeviceType.CUDA, -1);
        }

        if (d.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(d.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index is >= 0 and < 1024)
        {
            return (DeviceType.CUDA, index);
        }

        throw new ArgumentException($"device must be cpu, cuda or cuda:N (N a device index ≥ 0); got '{device}'.", paramName);
    }
}
