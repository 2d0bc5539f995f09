using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>One GRU network of <see cref="GruPolicy"/>: Dense(m→E, ReLU) → GRU(E→H) → Dense(H→out).</summary>
internal sealed class GruNetwork : Module
{
    private readonly Linear _input;
    private readonly Relu _relu;
    private readonly Gru _gru;
    private readonly Linear _head;
    private readonly NnTensor _hidden = new(0, 0);

    public GruNetwork(PolicyShape shape, GruPolicyOptions o, int outputs, RandomSource random)
    {
        _input = AddModule("input", new Linear(shape.ObservationSize, o.EmbeddingSize, random));
        _relu = AddModule("relu", new Relu());
        _gru = AddModule("gru", new Gru(o.EmbeddingSize, o.HiddenSize, random));
        _head = AddModule("head", new Linear(o.HiddenSize, outputs, random));
    }

    public int HiddenSize => _gru.HiddenSize;

    public override NnTensor Forward(NnTensor input) =>
        _head.Forward(_gru.Forward(_relu.Forward(_input.Forward(input))));

    public override NnTensor Backward(NnTensor outputGradient) =>
        _input.Backward(_relu.Backward(_gru.Backward(_head.Backward(outputGradient))));

    /// <summary>One token per slot: <c>[N, m]</c> → <c>[N, out]</c>, updating <paramref name="hidden"/> (<c>[N, H]</c>) in place.</summary>
    public NnTensor Step(NnTensor input, Span<float> hidden)
    {
        var e = _relu.Forward(_input.Forward(input));
        int n = input.Rows;
        _gru.Step(e.Span, n, hidden);
        _hidden.Resize(n, _gru.HiddenSize);
        hidden.CopyTo(_hidden.Span);
        return _head.Forward(_hidden);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hidden.Dispose();
        }

        base.Dispose(disposing);
    }
}
