namespace RL3.Core.TorchSharp;

/// <summary>
/// One trainable tensor of a torch policy and how it appears in the interchange format (the in-house engine's policy
/// file: a <c>TensorArchive</c> keyed by the in-house parameter names, weights stored <c>[in, out]</c>).
/// </summary>
/// <remarks>
/// A torch policy lists its bindings actor first, then critic, each in the in-house policy's parameter order; that order
/// and those layouts are the policy's save format and the flat layout of its optimiser, so weights, gradients, flat
/// copies and checkpoints move between the two engines unchanged.
/// </remarks>
/// <param name="Name">The interchange name, starting with <c>actor.</c> or <c>critic.</c> (for example <c>actor.input.weight</c>).</param>
/// <param name="TorchName">The parameter's name inside the actor's or critic's torch module (for example <c>input.weight</c>), as <c>named_parameters()</c> gives it.</param>
/// <param name="Transposed">
/// Whether the interchange tensor is the transpose of the torch tensor: true for a 2-D weight that torch stores <c>[out, in]</c>
/// (<c>Linear.weight</c>, <c>GRU.weight_ih_l0</c>, <c>weight_hh_l0</c>) and the in-house engine <c>[in, out]</c>.
/// </param>
public sealed record TorchParameterBinding(string Name, string TorchName, bool Transposed = false);
