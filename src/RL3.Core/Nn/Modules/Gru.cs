using System.Numerics;
using System.Numerics.Tensors;
using RL3.Core.Randomness;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Gated recurrent unit over a <c>[batch, time, input]</c> sequence (Cho et al. 2014, PyTorch's gate convention),
/// with back-propagation through time and a single-step update for acting.
/// </summary>
/// <remarks>
/// <para>With <c>W_ih</c> <c>[input, 3H]</c>, <c>W_hh</c> <c>[H, 3H]</c> and gate blocks in the order r, z, n:</para>
/// <code>
/// r = σ(x W_ir + b_ir + h W_hr + b_hr)
/// z = σ(x W_iz + b_iz + h W_hz + b_hz)
/// n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
/// h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// <para>
/// <see cref="Forward"/> starts every sequence from <c>h = 0</c> and returns all hidden states <c>[batch, time, H]</c>.
/// The input projection of all tokens is one GEMM; each time step adds one <c>[batch, H]·[H, 3H]</c> GEMM.
/// <see cref="Backward"/> runs through time in reverse and accumulates <c>∂W_hh</c> and <c>∂W_ih</c> with one GEMM each.
/// <see cref="Step"/> advances caller-owned hidden states by one token with the same arithmetic.
/// </para>
/// <para>Initialisation: Glorot-uniform <c>W_ih</c> (fans input, 3H) and <c>W_hh</c> (fans H, 3H), zero biases.</para>
/// </remarks>
public sealed class Gru : Module
{
    private readonly NnTensor _input = new(0, 0);
    private readonly NnTensor _gates = new(0, 0);        // [B·T, 3H]: r, z, n after activation
    private readonly NnTensor _hiddenGates = new(0, 0);  // [B·T, 3H]: h_prev W_hh + b_hh
    private readonly NnTensor _previous = new(0, 0);     // [B·T, H]: h_{t−1} (0 at t = 0)
    private readonly NnTensor _output = new(0, 0, 0);    // [B, T, H]
    private readonly NnTensor _gateGradient = new(0, 0);       // [B·T, 3H]: ∂ pre-activations of the input part
    private readonly NnTensor _hiddenGateGradient = new(0, 0); // [B·T, 3H]: ∂(h W_hh + b_hh)
    private readonly NnTensor _carry = new(0, 0);        // [B, H]: ∂L/∂h_t flowing back
    private readonly NnTensor _inputGradient = new(0, 0, 0);
    private readonly NnTensor _stepGates = new(0, 0);
    private readonly NnTensor _stepHiddenGates = new(0, 0);
    private int _batch = -1;
    private int _time;

    /// <summary>Creates the layer with Glorot-uniform weights and zero biases.</summary>
    /// <param name="inputSize">Input features (≥ 1).</param>
    /// <param name="hiddenSize">Hidden state size H (≥ 1).</param>
    /// <param name="random">Source of the initial weights (<c>W_ih</c> drawn first, then <c>W_hh</c>).</param>
    public Gru(int inputSize, int hiddenSize, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentNullException.ThrowIfNull(random);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        InputWeight = AddParameter("weight_ih", inputSize, 3 * hiddenSize);
        HiddenWeight = AddParameter("weight_hh", hiddenSize, 3 * hiddenSize);
        InputBias = AddParameter("bias_ih", 3 * hiddenSize);
        HiddenBias = AddParameter("bias_hh", 3 * hiddenSize);
        Init.GlorotUniform(InputWeight.Value.Span, inputSize, 3 * hiddenSize, random);
        Init.GlorotUniform(HiddenWeight.Value.Span, hiddenSize, 3 * hiddenSize, random);
    }

    /// <summary>Input features.</summary>
    public int InputSize { get; }

    /// <summary>Hidden state size H.</summary>
    public int HiddenSize { get; }

    /// <summary><c>W_ih</c>, shape <c>[InputSize, 3H]</c>, gate blocks r, z, n.</summary>
    public Parameter InputWeight { get; }

    /// <summary><c>W_hh</c>, shape <c>[H, 3H]</c>, gate blocks r, z, n.</summary>
    public Parameter HiddenWeight { get; }

    /// <summary><c>b_ih</c>, shape <c>[3H]</c>.</summary>
    public Parameter InputBias { get; }

    /// <summary><c>b_hh</c>, shape <c>[3H]</c>.</summary>
    public Parameter HiddenBias { get; }

    /// <summary>Runs every sequence of a <c>[batch, time, input]</c> tensor from a zero state.</summary>
    /// <param name="input">The input sequences (rank 3).</param>
    /// <returns>All hidden states, <c>[batch, time, H]</c> (module-owned).</returns>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, InputSize, nameof(input));
        if (input.Rank != 3)
        {
            throw new ArgumentException($"Gru.Forward expects input of shape [batch, time, {InputSize}] but got {input.ShapeString()}.", nameof(input));
        }

        int batch = input.Dim(0);
        int time = input.Dim(1);
        int h = HiddenSize;
        int g = 3 * h;
        int rows = batch * time;
        _input.Resize(rows, InputSize);
        input.Span.CopyTo(_input.Span);
        _gates.Resize(rows, g);
        _hiddenGates.Resize(rows, g);
        _previous.Resize(rows, h);
        _output.Resize(batch, time, h);

        // Input part of every token at once: Gi = X W_ih (b_ih is added row by row in GateForward).
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, g, InputSize, 1f,
            _input.Span, InputSize, InputWeight.Value.Span, g, 0f, _gates.Span, g);

        var gates = _gates.Span;
        var hg = _hiddenGates.Span;
        var prev = _previous.Span;
        var output = _output.Span;
        var bih = InputBias.Value.Span;
        var bhh = HiddenBias.Value.Span;
        for (int t = 0; t < time; t++)
        {
            // Hidden part of step t for all sequences: rows b·T + t, row stride T·3H (b_hh is added in GateForward).
            if (t == 0)
            {
                for (int b = 0; b < batch; b++)
                {
                    prev.Slice(b * time * h, h).Clear();
                    hg.Slice(b * time * g, g).Clear();
                }
            }
            else
            {
                Gemm.Multiply(MatrixOp.None, MatrixOp.None, batch, g, h, 1f,
                    prev.Slice(t * h), time * h, HiddenWeight.Value.Span, g, 0f, hg.Slice(t * g), time * g);
            }

            for (int b = 0; b < batch; b++)
            {
                int row = (b * time) + t;
                var hOut = output.Slice(row * h, h);
                GateForward(gates.Slice(row * g, g), hg.Slice(row * g, g), bih, bhh, prev.Slice(row * h, h), hOut);
                if (t + 1 < time)
                {
                    hOut.CopyTo(prev.Slice((row + 1) * h, h));
                }
            }
        }

        _batch = batch;
        _time = time;
        return _output;
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (_batch < 0)
        {
            throw new InvalidOperationException("Gru.Backward called before Forward.");
        }

        CheckOutputGradient(outputGradient, _output);
        int batch = _batch;
        int time = _time;
        int h = HiddenSize;
        int g = 3 * h;
        int rows = batch * time;
        _gateGradient.Resize(rows, g);
        _hiddenGateGradient.Resize(rows, g);
        _carry.Resize(batch, h);
        _carry.Clear();
        var dOut = outputGradient.Span;
        var gates = _gates.Span;
        var hg = _hiddenGates.Span;
        var prev = _previous.Span;
        var dGi = _gateGradient.Span;
        var dGh = _hiddenGateGradient.Span;
        var carry = _carry.Span;
        for (int t = time - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * time) + t;
                GateBackward(
                    gates.Slice(row * g, g), hg.Slice(row * g, g), prev.Slice(row * h, h), dOut.Slice(row * h, h),
                    carry.Slice(b * h, h), dGi.Slice(row * g, g), dGh.Slice(row * g, g));
            }

            if (t > 0)
            {
                // ∂h_{t−1} += ∂Gh_t · W_hhᵀ
                Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, batch, h, g, 1f,
                    dGh.Slice(t * g), time * g, HiddenWeight.Value.Span, g, 1f, carry, h);
            }
        }

        // ∂W_hh += H_prevᵀ ∂Gh, ∂W_ih += Xᵀ ∂Gi, bias sums, ∂X = ∂Gi W_ihᵀ.
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, h, g, rows, 1f,
            prev, h, dGh, g, 1f, HiddenWeight.Gradient.Span, g);
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, InputSize, g, rows, 1f,
            _input.Span, InputSize, dGi, g, 1f, InputWeight.Gradient.Span, g);
        var dbih = InputBias.Gradient.Span;
        var dbhh = HiddenBias.Gradient.Span;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(dbih, dGi.Slice(r * g, g), dbih);
            TensorPrimitives.Add(dbhh, dGh.Slice(r * g, g), dbhh);
        }

        _inputGradient.Resize(batch, time, InputSize);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows, InputSize, g, 1f,
            dGi, g, InputWeight.Value.Span, g, 0f, _inputGradient.Span, InputSize);
        return _inputGradient;
    }

    /// <summary>
    /// Advances <paramref name="rows"/> hidden states by one token each (inference; nothing is cached for a backward pass).
    /// </summary>
    /// <param name="input">The tokens, <c>[rows, InputSize]</c>.</param>
    /// <param name="rows">The number of rows (≥ 0).</param>
    /// <param name="hidden">The hidden states, <c>[rows, H]</c>, updated in place.</param>
    public void Step(ReadOnlySpan<float> input, int rows, Span<float> hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int h = HiddenSize;
        int g = 3 * h;
        if (input.Length != rows * InputSize)
        {
            throw new ArgumentException($"input has length {input.Length} but {rows} rows of {InputSize} features need {rows * InputSize}.", nameof(input));
        }

        if (hidden.Length != rows * h)
        {
            throw new ArgumentException($"hidden has length {hidden.Length} but {rows} rows of {h} need {rows * h}.", nameof(hidden));
        }

        _stepGates.Resize(rows, g);
        _stepHiddenGates.Resize(rows, g);
        var gates = _stepGates.Span;
        var hg = _stepHiddenGates.Span;
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, g, InputSize, 1f,
            input, InputSize, InputWeight.Value.Span, g, 0f, gates, g);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, g, h, 1f,
            hidden, h, HiddenWeight.Value.Span, g, 0f, hg, g);
        var bih = InputBias.Value.Span;
        var bhh = HiddenBias.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            var hr = hidden.Slice(r * h, h);
            GateForward(gates.Slice(r * g, g), hg.Slice(r * g, g), bih, bhh, hr, hr);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _gates.Dispose();
            _hiddenGates.Dispose();
            _previous.Dispose();
            _output.Dispose();
            _gateGradient.Dispose();
            _hiddenGateGradient.Dispose();
            _carry.Dispose();
            _inputGradient.Dispose();
            _stepGates.Dispose();
            _stepHiddenGates.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// One row: <paramref name="gates"/> holds x W_ih and is overwritten with r, z, n; <paramref name="hiddenGates"/>
    /// holds h W_hh and gets <paramref name="hiddenBias"/> added (backward reads its n block); writes h' (may alias
    /// <paramref name="previous"/>). The biases are added here rather than before the GEMMs: the rows are in L1 now,
    /// and for depths up to <see cref="GemmDriver.KC"/> the sums are the same floats either way.
    /// </summary>
    private static void GateForward(
        Span<float> gates, Span<float> hiddenGates, ReadOnlySpan<float> inputBias, ReadOnlySpan<float> hiddenBias,
        ReadOnlySpan<float> previous, Span<float> next)
    {
        int h = previous.Length;
        TensorPrimitives.Add(gates, inputBias, gates);
        TensorPrimitives.Add(hiddenGates, hiddenBias, hiddenGates);
        var r = gates.Slice(0, h);
        var z = gates.Slice(h, h);
        var n = gates.Slice(2 * h, h);
        TensorPrimitives.Add(r, hiddenGates.Slice(0, h), r);
        TensorPrimitives.Sigmoid(r, r);
        TensorPrimitives.Add(z, hiddenGates.Slice(h, h), z);
        TensorPrimitives.Sigmoid(z, z);
        TensorPrimitives.FusedMultiplyAdd(r, hiddenGates.Slice(2 * h, h), n, n);
        TensorPrimitives.Tanh(n, n);

        // h' = n + z ⊙ (h − n)
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; i + w <= h; i += w)
            {
                var nv = new Vector<float>(n.Slice(i, w));
                var zv = new Vector<float>(z.Slice(i, w));
                var pv = new Vector<float>(previous.Slice(i, w));
                (nv + (zv * (pv - nv))).CopyTo(next.Slice(i, w));
            }
        }

        for (; i < h; i++)
        {
            next[i] = n[i] + (z[i] * (previous[i] - n[i]));
        }
    }

    /// <summary>
    /// One row of back-propagation through the gates. <paramref name="carry"/> holds ∂L/∂h from later steps and is
    /// overwritten with the direct part of ∂L/∂h_prev (dh ⊙ z); the W_hh part is added by the caller's GEMM.
    /// </summary>
    private static void GateBackward(
        ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> previous, ReadOnlySpan<float> outputGradient,
        Span<float> carry, Span<float> inputGateGradient, Span<float> hiddenGateGradient)
    {
        int h = previous.Length;
        var r = gates.Slice(0, h);
        var z = gates.Slice(h, h);
        var n = gates.Slice(2 * h, h);
        var ghn = hiddenGates.Slice(2 * h, h);
        var dar = inputGateGradient.Slice(0, h);
        var daz = inputGateGradient.Slice(h, h);
        var dan = inputGateGradient.Slice(2 * h, h);
        var dhr = hiddenGateGradient.Slice(0, h);
        var dhz = hiddenGateGradient.Slice(h, h);
        var dhn = hiddenGateGradient.Slice(2 * h, h);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; i + w <= h; i += w)
            {
                var dh = new Vector<float>(outputGradient.Slice(i, w)) + new Vector<float>(carry.Slice(i, w));
                var rv = new Vector<float>(r.Slice(i, w));
                var zv = new Vector<float>(z.Slice(i, w));
                var nv = new Vector<float>(n.Slice(i, w));
                var pv = new Vector<float>(previous.Slice(i, w));
                var gv = new Vector<float>(ghn.Slice(i, w));
                var an = dh * (one - zv) * (one - (nv * nv));
                var az = dh * (pv - nv) * zv * (one - zv);
                var ar = an * gv * rv * (one - rv);
                (dh * zv).CopyTo(carry.Slice(i, w));
                ar.CopyTo(dar.Slice(i, w));
                az.CopyTo(daz.Slice(i, w));
                an.CopyTo(dan.Slice(i, w));
                ar.CopyTo(dhr.Slice(i, w));
                az.CopyTo(dhz.Slice(i, w));
                (an * rv).CopyTo(dhn.Slice(i, w));
            }
        }

        for (; i < h; i++)
        {
            float dh = outputGradient[i] + carry[i];
            float an = dh * (1f - z[i]) * (1f - (n[i] * n[i]));
            float az = dh * (previous[i] - n[i]) * z[i] * (1f - z[i]);
            float ar = an * ghn[i] * r[i] * (1f - r[i]);
            carry[i] = dh * z[i];
            dar[i] = ar;
            daz[i] = az;
            dan[i] = an;
            dhr[i] = ar;
            dhz[i] = az;
            dhn[i] = an * r[i];
        }
    }
}
