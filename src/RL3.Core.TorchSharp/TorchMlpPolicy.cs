using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp;

/// <summary>
/// <see cref="MlpPolicy"/> on TorchSharp: separate actor and critic MLPs with <see cref="MlpPolicyOptions.HiddenLayers"/>
/// ReLU layers of <see cref="MlpPolicyOptions.HiddenSize"/> units, then Linear(→A) logits / Linear(→1) value.
/// </summary>
/// <remarks>
/// Same architecture, parameter names and initial weights as <see cref="MlpPolicy"/> with the same shape and options
/// (the in-house policy is built once and its weights are imported), so the two engines start from the same policy.
/// </remarks>
public sealed class TorchMlpPolicy : TorchActorCriticPolicy
{
    private readonly nn.Module<Tensor, Tensor> _actor;
    private readonly nn.Module<Tensor, Tensor> _critic;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/> on the device of <paramref name="torchOptions"/>.</summary>
    /// <param name="shape">The observation size and action count (validated; the context length is ignored).</param>
    /// <param name="options">The hyperparameters (copied; validated).</param>
    /// <param name="torchOptions">The device and thread count (null: CPU, libtorch's thread count untouched).</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range.</exception>
    /// <exception cref="ArgumentException">The device does not exist.</exception>
    /// <exception cref="TorchSharpLoadException">libtorch did not load.</exception>
    public TorchMlpPolicy(PolicyShape shape, MlpPolicyOptions options, TorchSharpOptions? torchOptions = null)
        : this(Build(shape, options), torchOptions ?? new TorchSharpOptions())
    {
    }

    private TorchMlpPolicy((PolicyShape Shape, nn.Module<Tensor, Tensor> Actor, nn.Module<Tensor, Tensor> Critic, TorchParameterBinding[] Bindings, TensorArchive Initial) parts, TorchSharpOptions torchOptions)
        : base(parts.Shape, parts.Actor, parts.Critic, parts.Bindings, parts.Initial, torchOptions)
    {
        _actor = (nn.Module<Tensor, Tensor>)Actor;
        _critic = (nn.Module<Tensor, Tensor>)Critic;
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => int.MaxValue;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        return NewState(slots);
    }

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) StepNetworks(Tensor observations, TorchPolicyState state) =>
        (_actor.call(observations), _critic.call(observations));

    /// <inheritdoc/>
    protected override (Tensor Logits, Tensor Values) ForwardNetworks(Tensor observations) =>
        (_actor.call(observations), _critic.call(observations));

    private static (PolicyShape, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>, TorchParameterBinding[], TensorArchive) Build(PolicyShape shape, MlpPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TensorArchive initial;
        using (var reference = new MlpPolicy(shape, options))
        {
            initial = InterchangeArchive.Of(reference);
        }

        TorchRuntime.EnsureLoaded();

        var bindings = new List<TorchParameterBinding>();
        var actor = Network("actor", shape.ObservationSize, options, shape.ActionCount, bindings);
        var critic = Network("critic", shape.ObservationSize, options, 1, bindings);
        return (shape, actor, critic, [.. bindings], initial);
    }

    // Sequential children are named "0", "1", …: Linear, ReLU, Linear, ReLU, …, Linear, as MlpPolicy's Sequential.
    private static nn.Module<Tensor, Tensor> Network(string prefix, int inputs, MlpPolicyOptions o, int outputs, List<TorchParameterBinding> bindings)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < o.HiddenLayers; i++)
        {
            Add(layers, bindings, prefix, nn.Linear(width, o.HiddenSize));
            layers.Add(((2 * i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), nn.ReLU()));
            width = o.HiddenSize;
        }

        Add(layers, bindings, prefix, nn.Linear(width, outputs));
        return nn.Sequential(layers);
    }

    private static void Add(List<(string, nn.Module<Tensor, Tensor>)> layers, List<TorchParameterBinding> bindings, string prefix, nn.Module<Tensor, Tensor> linear)
    {
        string index = layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        layers.Add((index, linear));
        bindings.Add(new TorchParameterBinding($"{prefix}.{index}.weight", $"{index}.weight", Transposed: true));
        bindings.Add(new TorchParameterBinding($"{prefix}.{index}.bias", $"{index}.bias"));
    }
}
