namespace RL3.Core.Policies;

/// <summary>
/// The recurrent state of a batch of independent slots (one meta-episode each) for one <see cref="IMetaPolicy"/>:
/// a GRU hidden state, or a transformer's key/value cache and position, per slot.
/// </summary>
/// <remarks>
/// Created by <see cref="IMetaPolicy.CreateState"/> with every slot reset; advanced by <see cref="IMetaPolicy.Act"/>.
/// Slots are reset one by one at meta-episode boundaries, so slots may be at different positions. Not thread-safe.
/// </remarks>
public interface IMetaPolicyState
{
    /// <summary>Number of slots.</summary>
    int Slots { get; }

    /// <summary>The number of tokens slot <paramref name="slot"/> has consumed since its last reset.</summary>
    /// <param name="slot">The slot, in [0, <see cref="Slots"/>).</param>
    /// <returns>The position of the slot's next token.</returns>
    int GetPosition(int slot);

    /// <summary>Forgets the history of one slot (start of a new meta-episode); the other slots are untouched.</summary>
    /// <param name="slot">The slot, in [0, <see cref="Slots"/>).</param>
    void Reset(int slot);

    /// <summary>Resets every slot.</summary>
    void ResetAll();
}
