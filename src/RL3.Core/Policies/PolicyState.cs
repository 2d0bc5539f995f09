using RL3.Core.Nn;

namespace RL3.Core.Policies;

/// <summary>
/// The per-batch recurrent state shared by the built-in policies: a position per slot, plus GRU hidden states
/// (<c>[slots, H]</c> per network) or attention caches (one per decoder block and network).
/// </summary>
internal sealed class PolicyState : IMetaPolicyState
{
    private readonly int[] _positions;

    public PolicyState(object owner, int slots, int hiddenSize = 0, int hiddenStates = 0, AttentionCache[]? caches = null)
    {
        Owner = owner;
        _positions = new int[slots];
        HiddenSize = hiddenSize;
        Hidden = new float[hiddenStates][];
        for (int i = 0; i < hiddenStates; i++)
        {
            Hidden[i] = new float[slots * hiddenSize];
        }

        Caches = caches ?? [];
    }

    /// <summary>The policy that created this state.</summary>
    public object Owner { get; }

    public int Slots => _positions.Length;

    public int HiddenSize { get; }

    /// <summary>Hidden states, one <c>[slots, HiddenSize]</c> array per network.</summary>
    public float[][] Hidden { get; }

    /// <summary>Attention caches (actor blocks first, then critic blocks).</summary>
    public AttentionCache[] Caches { get; }

    public ReadOnlySpan<int> Positions => _positions;

    public int GetPosition(int slot)
    {
        CheckSlot(slot);
        return _positions[slot];
    }

    public void Reset(int slot)
    {
        CheckSlot(slot);
        _positions[slot] = 0;
        foreach (var h in Hidden)
        {
            h.AsSpan(slot * HiddenSize, HiddenSize).Clear();
        }
    }

    public void ResetAll()
    {
        Array.Clear(_positions);
        foreach (var h in Hidden)
        {
            Array.Clear(h);
        }
    }

    /// <summary>Sets a slot's position directly (benchmarks and tests that fill caches with stand-in history).</summary>
    public void SetPosition(int slot, int position)
    {
        CheckSlot(slot);
        _positions[slot] = position;
    }

    /// <summary>Advances every slot by one token.</summary>
    public void Advance()
    {
        for (int i = 0; i < _positions.Length; i++)
        {
            _positions[i]++;
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
