using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp;

/// <summary>
/// <see cref="GruPolicy"/> on TorchSharp (RL², docs/method.md §5): separate actor and critic networks
/// Linear(obs→E, ReLU) → GRU(E→H) → Linear(H→A) logits / Linear(H→1) value.
/// </summary>
/// <remarks>
/// Same architecture, parameter names, gate order (r, z, n: PyTorch's, which the in-house GRU follows) and initial
/// weights as <see cref="GruPolicy"/> with the same shape and options (the in-house policy is built once and its weights
/// imported). Acting keeps one hidden state <c>[slots, H]</c> per network on the device; a slot's reset zeroes its rows
/// there. Sequences have no length limit. <see cref="GruPolicyOptions.MaxDegreeOfParallelism"/> is not used: libtorch
/// parallelises inside each operation (<see cref="TorchSharpOptions.ThreadCount"/>).
/// </remarks>
public sealed class TorchGruPolicy : TorchActorCriticPolicy
{
    private readonly GruModule _actor;
    private readonly GruModule _critic;
    private readonly int _hiddenSize;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/> on the device of <paramref name="torchOptions"/>.</summary>
    /// <param name="shape">The observation size and action count (validated; the context length is ignored).</param>
    /// <param name="options">The hyperparameters (copied; validated).</param>
    /// <param name="torchOptions">The device and thread count (null: CPU, libtorch's thread count untouched).</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range.</exception>
    /// <exception cref="ArgumentException">The device does not exist.</exception>
    /// <exception cref="TorchSharpLoadException">libtorch did not load.</exception>
    public TorchGruPolicy(PolicyShape shape, GruPolicyOptions options, TorchSharpOptions? torchOptions = null)
        : this(Build(shape, options), torchOptions ?? new TorchSharpOptions())
    {
    }

    private TorchGruPolicy((PolicyShape Shape, GruModule Actor, GruModule Critic, TorchParameterBinding[] Bindings, TensorArchive Initial, int Hidden) parts, TorchSharpOptions torchOptions)
        : base(parts.Shape, parts.Actor, parts.Critic, parts.Bindings, parts.Initial, torchOptions)
    {
        _actor = (GruModule)Actor;
        _critic = (GruModule)Critic;
        _hiddenSize = parts.Hidden;
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => int.MaxValue;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        return NewState(slots, [slots, _hiddenSize], [slots, _hiddenSize]);
    }

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) StepNetworks(Tensor observations, TorchPolicyState state) =>
        (_actor.Step(observations, state.GetMemory(0)), _critic.Step(observations, state.GetMemory(1)));

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) ForwardNetworks(Tensor observations) =>
        (_actor.call(observations), _critic.call(observations));

    private static (PolicyShape, GruModule, GruModule, TorchParameterBinding[], TensorArchive, int) Build(PolicyShape shape, GruPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TensorArchive initial;
        using (var reference = new GruPolicy(shape, options))
        {
            initial = InterchangeArchive.Of(reference);
        }

        TorchRuntime.EnsureLoaded();
        var actor = new GruModule("actor", shape.ObservationSize, options.EmbeddingSize, options.HiddenSize, shape.ActionCount);
        var critic = new GruModule("critic", shape.ObservationSize, options.EmbeddingSize, options.HiddenSize, 1);
        return (shape, actor, critic, [.. Bindings("actor"), .. Bindings("critic")], initial, options.HiddenSize);
    }

    // The in-house GruNetwork's parameter order: input (Linear), gru (weight_ih, weight_hh, bias_ih, bias_hh), head (Linear).
    private static TorchParameterBinding[] Bindings(string prefix) =>
    [
        new($"{prefix}.input.weight", "input.weight", Transposed: true),
        new($"{prefix}.input.bias", "input.bias"),
        new($"{prefix}.gru.weight_ih", "gru.weight_ih_l0", Transposed: true),
        new($"{prefix}.gru.weight_hh", "gru.weight_hh_l0", Transposed: true),
        new($"{prefix}.gru.bias_ih", "gru.bias_ih_l0"),
        new($"{prefix}.gru.bias_hh", "gru.bias_hh_l0"),
        new($"{prefix}.head.weight", "head.weight", Transposed: true),
        new($"{prefix}.head.bias", "head.bias"),
    ];

    /// <summary>One network: Linear(m→E) → ReLU → GRU(E→H, batch first) → Linear(H→out).</summary>
    private sealed class GruModule : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _input;
        private readonly global::TorchSharp.Modules.GRU _gru;
        private readonly nn.Module<Tensor, Tensor> _head;

        public GruModule(string name, int observationSize, int embeddingSize, int hiddenSize, int outputs)
            : base(name)
        {
            _input = nn.Linear(observationSize, embeddingSize);
            _gru = nn.GRU(embeddingSize, hiddenSize, batchFirst: true);
            _head = nn.Linear(hiddenSize, outputs);
            register_module("input", _input);
            register_module("gru", _gru);
            register_module("head", _head);
        }

        /// <summary>Whole sequences <c>[B, T, m]</c> from a zero state → <c>[B, T, out]</c>.</summary>
        public override Tensor forward(Tensor input)
        {
            var (hidden, _) = _gru.call(nn.functional.relu(_input.call(input)));
            return _head.call(hidden);
        }

        /// <summary>One token per slot <c>[N, m]</c> → <c>[N, out]</c>, updating <paramref name="hidden"/> (<c>[N, H]</c>) in place.</summary>
        public Tensor Step(Tensor input, Tensor hidden)
        {
            var e = nn.functional.relu(_input.call(input)).unsqueeze(1);
            var (_, next) = _gru.call(e, hidden.unsqueeze(0));
            hidden.copy_(next.squeeze(0));
            return _head.call(hidden);
        }
    }
}
