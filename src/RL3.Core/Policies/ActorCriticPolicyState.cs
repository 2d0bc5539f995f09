using RL3.Core.Nn;

namespace RL3.Core.Policies;

/// <summary>
/// The per-batch recurrent state of an <see cref="ActorCriticPolicy"/>: a position per slot, plus, as the policy
/// needs, hidden states (<c>[slots, HiddenSize]</c> per network, cleared per slot on reset) or attention caches
/// (one per decoder block and network, addressed by <see cref="Positions"/>).
/// </summary>
/// <remarks>
/// Create it with <see cref="ActorCriticPolicy.NewState"/> from the policy's <see cref="IMetaPolicy.CreateState"/>;
/// the base class advances every slot by one token after each <see cref="IMetaPolicy.Act"/>.
/// </remarks>
public sealed class ActorCriticPolicyState : IMetaPolicyState
{
    private readonly int[] _positions;

    internal ActorCriticPolicyState(object owner, int slots, int hiddenSize = 0, int hiddenStates = 0, AttentionCache[]? caches = null)
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

    /// <inheritdoc/>
    public int Slots => _positions.Length;

    /// <summary>Width of one slot's row in each of <see cref="Hidden"/> (0 when the policy keeps no hidden state).</summary>
    public int HiddenSize { get; }

    /// <summary>Hidden states, one <c>[slots, HiddenSize]</c> array per network (for example actor then critic).</summary>
    public float[][] Hidden { get; }

    /// <summary>Attention caches (for example the actor's blocks first, then the critic's); a reset slot's rows are overwritten from position 0.</summary>
    public AttentionCache[] Caches { get; }

    /// <summary>Every slot's position: tokens consumed since its last reset.</summary>
    public ReadOnlySpan<int> Positions => _positions;

    /// <summary>The policy that created this state.</summary>
    internal object Owner { get; }

    /// <inheritdoc/>
    public int GetPosition(int slot)
    {
        Guard.Index(slot, _positions.Length, nameof(slot));
        return _positions[slot];
    }

    /// <inheritdoc/>
    public void Reset(int slot)
    {
        Guard.Index(slot, _positions.Length, nameof(slot));
        _positions[slot] = 0;
        foreach (var h in Hidden)
        {
            h.AsSpan(slot * HiddenSize, HiddenSize).Clear();
        }
    }

    /// <inheritdoc/>
    public void ResetAll()
    {
        Array.Clear(_positions);
        foreach (var h in Hidden)
        {
            Array.Clear(h);
        }
    }

    /// <summary>Sets a slot's position directly (benchmarks and tests that fill caches with stand-in history).</summary>
    internal void SetPosition(int slot, int position)
    {
        Guard.Index(slot, _positions.Length, nameof(slot));
        _positions[slot] = position;
    }

    /// <summary>Advances every slot by one token.</summary>
    internal void Advance()
    {
        for (int i = 0; i < _positions.Length; i++)
        {
            _positions[i]++;
        }
    }
}
