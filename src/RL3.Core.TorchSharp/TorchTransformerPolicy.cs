using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using RL3.Core.TorchSharp.Transformer;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The paper's transformer meta-policy (<see cref="TransformerPolicy"/>'s architecture) on TorchSharp: separate actor and
/// critic causal transformers — Dense(obs→256, ReLU) → Dense(256→64, ReLU) → LayerNorm → + learned positions
/// (<see cref="PolicyShape.ContextLength"/> = H + 1) → 2 post-LN decoder blocks (4 heads of 16, FFN 256, GELU tanh) → ReLU
/// → Dense(64→A) logits / Dense(64→1) value — written with torch operations, on the CPU or a CUDA device.
/// </summary>
/// <remarks>
/// <para>
/// Acting writes one token per slot into a key/value cache per block and network, kept on the policy's device
/// (<c>[slots, heads, context length, head dim]</c>), and attends over each slot's prefix through a mask, so slots may be at
/// different positions and are reset one by one (a reset slot's stale entries are masked, never read). Nothing crosses to
/// the host per step but the observations in and one block of logits and values out. Training runs whole sequences with
/// <c>scaled_dot_product_attention</c> under a causal mask; libtorch's autograd gives the gradients.
/// </para>
/// <para>
/// The initial weights are those of <see cref="TransformerPolicy"/> with the same shape and options (the same seed gives the
/// same weights in both engines), and <see cref="TorchActorCriticPolicy.Save"/> / <see cref="TorchActorCriticPolicy.Load"/>
/// use its file format, so weights move between the two engines in either direction.
/// </para>
/// </remarks>
public sealed class TorchTransformerPolicy : TorchActorCriticPolicy
{
    private readonly PolicyShape _shape;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly TorchTransformerNetwork _actor;
    private readonly TorchTransformerNetwork _critic;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/> on the device of <paramref name="torchOptions"/>.</summary>
    /// <param name="shape">The observation size, action count and context length (1 to 2²⁰, typically H + 1; validated here).</param>
    /// <param name="options">The hyperparameters (copied; validated here). <see cref="TransformerPolicyOptions.MaxDegreeOfParallelism"/> is ignored: libtorch's thread count applies.</param>
    /// <param name="torchOptions">The device and thread count (copied; validated here); null for the CPU and libtorch's current thread count.</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range (the message names it).</exception>
    /// <exception cref="ArgumentException">The device is malformed or not available.</exception>
    /// <exception cref="TorchSharpLoadException">libtorch did not load (the message names the cause and the fix).</exception>
    public TorchTransformerPolicy(PolicyShape shape, TransformerPolicyOptions options, TorchSharpOptions? torchOptions = null)
        : this(Build(shape, options, torchOptions ?? new TorchSharpOptions()))
    {
    }

    private TorchTransformerPolicy(Parts parts)
        : base(parts.Shape, parts.Actor, parts.Critic, parts.Bindings, parts.Initial, parts.TorchOptions)
    {
        _shape = parts.Shape;
        _heads = parts.Heads;
        _headDim = parts.HeadDim;
        _actor = parts.Actor;
        _critic = parts.Critic;
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => _shape.ContextLength;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        long[] cache = [slots, _heads, _shape.ContextLength, _headDim];
        var shapes = new long[4 * _actor.Layers][];
        Array.Fill(shapes, cache);
        return NewState(slots, shapes);
    }

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) StepNetworks(Tensor observations, TorchPolicyState state)
    {
        var positions = state.Positions;
        int last = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            if (positions[i] >= _shape.ContextLength)
            {
                throw new ArgumentException(
                    $"Slot {i} of state has consumed {positions[i]} tokens, the whole context (ContextLength = {_shape.ContextLength}); reset the slot before acting again.",
                    nameof(state));
            }

            last = Math.Max(last, positions[i]);
        }

        // Slot i attends to its positions 0…p_i of the first max(p) + 1 cache entries.
        long n = positions.Length;
        long length = last + 1;
        var p = state.DevicePositions;
        var slots = arange(n, ScalarType.Int64, Device);
        var mask = (arange(length, ScalarType.Int64, Device).unsqueeze(0) <= p.unsqueeze(1)).view(n, 1, 1, length);
        int criticCache = 2 * _actor.Layers;
        var logits = _actor.Step(observations, state.GetMemory, slots, p, mask, length);
        var values = _critic.Step(observations, i => state.GetMemory(criticCache + i), slots, p, mask, length);
        return (logits, values);
    }

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) ForwardNetworks(Tensor observations) =>
        (_actor.forward(observations), _critic.forward(observations));

    private static Parts Build(PolicyShape shape, TransformerPolicyOptions options, TorchSharpOptions torchOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        torchOptions.Validate();

        // The in-house policy validates the shape and options and draws the initial weights (same seed, same weights).
        TensorArchive initial;
        using (var reference = new TransformerPolicy(shape, options))
        {
            initial = InterchangeArchive.Of(reference);
        }

        TorchRuntime.EnsureLoaded();
        var bindings = new List<TorchParameterBinding>();
        foreach (string network in new[] { "actor.", "critic." })
        {
            foreach (var (name, torchName, transposed) in TorchTransformerNetwork.Bindings(options.Layers))
            {
                bindings.Add(new TorchParameterBinding(network + name, torchName, transposed));
            }
        }

        return new Parts(
            shape, options.Heads, options.ModelDim / options.Heads, torchOptions,
            new TorchTransformerNetwork(shape, options, shape.ActionCount, CPU),
            new TorchTransformerNetwork(shape, options, 1, CPU),
            bindings,
            initial);
    }

    private sealed record Parts(
        PolicyShape Shape, int Heads, int HeadDim, TorchSharpOptions TorchOptions,
        TorchTransformerNetwork Actor, TorchTransformerNetwork Critic, IReadOnlyList<TorchParameterBinding> Bindings, TensorArchive Initial);
}
