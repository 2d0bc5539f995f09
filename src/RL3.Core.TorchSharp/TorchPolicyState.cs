using RL3.Core.Policies;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The per-batch recurrent state of a <see cref="TorchActorCriticPolicy"/>: a position per slot (on the host) and the
/// policy's memory tensors on its device (for example a GRU hidden state <c>[slots, H]</c> per network, or attention
/// caches), whose rows along dimension 0 belong to the slots.
/// </summary>
/// <remarks>
/// Create it with <see cref="TorchActorCriticPolicy.NewState"/>. <see cref="Reset"/> zeroes one slot's row of every memory
/// tensor on the device (one small kernel per tensor, no host round trip); the base class advances every position after
/// each <see cref="IMetaPolicy.Act"/>. Dispose it to free the device memory at once (the finaliser frees it otherwise).
/// </remarks>
public sealed class TorchPolicyState : IMetaPolicyState, IDisposable
{
    private readonly int[] _positions;
    private readonly Tensor[] _memory;
    private Tensor? _devicePositions;

    internal TorchPolicyState(object owner, int slots, Device device, ReadOnlySpan<long[]> memoryShapes)
    {
        Owner = owner;
        Device = device;
        _positions = new int[slots];
        _memory = new Tensor[memoryShapes.Length];
        for (int i = 0; i < memoryShapes.Length; i++)
        {
            _memory[i] = zeros(memoryShapes[i], ScalarType.Float32, device).DetachFromDisposeScope();
        }
    }

    /// <inheritdoc/>
    public int Slots => _positions.Length;

    /// <summary>Every slot's position: tokens consumed since its last reset.</summary>
    public ReadOnlySpan<int> Positions => _positions;

    /// <summary>The device of the memory tensors.</summary>
    public Device Device { get; }

    /// <summary>The number of memory tensors.</summary>
    public int MemoryCount => _memory.Length;

    /// <summary>The policy that created this state.</summary>
    internal object Owner { get; }

    /// <summary>
    /// Every slot's position as an int64 tensor <c>[slots]</c> on the device, kept in step with <see cref="Positions"/> on
    /// the device (created on first use; for policies that index by position, such as a transformer's KV cache).
    /// </summary>
    public Tensor DevicePositions
    {
        get
        {
            if (_devicePositions is null)
            {
                var host = new long[_positions.Length];
                for (int i = 0; i < host.Length; i++)
                {
                    host[i] = _positions[i];
                }

                _devicePositions = tensor(host, ScalarType.Int64, Device).DetachFromDisposeScope();
            }

            return _devicePositions;
        }
    }

    /// <summary>Memory tensor <paramref name="index"/> (slots along dimension 0).</summary>
    /// <param name="index">In [0, <see cref="MemoryCount"/>).</param>
    /// <returns>The tensor (owned by the state; update it in place or with <see cref="SetMemory"/>).</returns>
    public Tensor GetMemory(int index) => _memory[index];

    /// <summary>Replaces memory tensor <paramref name="index"/> (the old one is disposed; the new one is taken out of any dispose scope and owned by the state).</summary>
    /// <param name="index">In [0, <see cref="MemoryCount"/>).</param>
    /// <param name="value">The new tensor, with the slots along dimension 0, on <see cref="Device"/>.</param>
    public void SetMemory(int index, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var old = _memory[index];
        if (ReferenceEquals(old, value))
        {
            return;
        }

        _memory[index] = value.DetachFromDisposeScope();
        old.Dispose();
    }

    /// <inheritdoc/>
    public int GetPosition(int slot)
    {
        CheckSlot(slot);
        return _positions[slot];
    }

    /// <inheritdoc/>
    public void Reset(int slot)
    {
        CheckSlot(slot);
        _positions[slot] = 0;
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var m in _memory)
            {
                m[slot].zero_();
            }

            _devicePositions?[slot].zero_();
        }
    }

    /// <inheritdoc/>
    public void ResetAll()
    {
        Array.Clear(_positions);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var m in _memory)
            {
                m.zero_();
            }

            _devicePositions?.zero_();
        }
    }

    /// <summary>Frees the memory tensors.</summary>
    public void Dispose()
    {
        foreach (var m in _memory)
        {
            m.Dispose();
        }

        _devicePositions?.Dispose();
        _devicePositions = null;
    }

    /// <summary>Puts every slot at <paramref name="position"/> (host and device; one kernel), for benchmarks that fill the memory with stand-in history.</summary>
    internal void SetAllPositions(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Array.Fill(_positions, position);
        if (_devicePositions is not null)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                _devicePositions.fill_(position);
            }
        }
    }

    /// <summary>Advances every slot by one token (host and device positions).</summary>
    internal void Advance()
    {
        for (int i = 0; i < _positions.Length; i++)
        {
            _positions[i]++;
        }

        if (_devicePositions is not null)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                _devicePositions.add_(1);
            }
        }
    }

    private void CheckSlot(int slot)
    {
        if ((uint)slot >= (uint)_positions.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slot must be in [0, {_positions.Length}).");
        }
    }
}
