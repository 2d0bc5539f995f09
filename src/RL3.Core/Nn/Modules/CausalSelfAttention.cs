using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RL3.Core.Randomness;

namespace RL3.Core.Nn.Modules;

/// <summary>
/// Causal multi-head self-attention (Vaswani et al. 2017) with fused Q/K/V projection:
/// <c>[Q K V] = x W_qkv + b_qkv</c>, per head <c>A_h = softmax(Q_h K_hᵀ / √dh + causal mask) V_h</c>,
/// <c>y = concat_h(A_h) W_o + b_o</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Forward"/> / <see cref="Backward"/> process whole <c>[batch, time, d]</c> sequences (training).
/// Each (sequence, head) pair is an independent work item. Sequences longer than 64 steps use <see cref="Gemm"/> over
/// blocks of 64 query rows, each block multiplying only the keys it may see (so about half of the T×T products are
/// skipped); shorter ones use per-row vector kernels (the same as <see cref="Step"/>), which avoid the fixed cost of
/// many tiny GEMM calls.
/// Backward per head: <c>∂V = Pᵀ∂A</c>, <c>∂P = ∂A Vᵀ</c>, <c>∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))</c>,
/// <c>∂Q = ∂S K / √dh</c>, <c>∂K = ∂Sᵀ Q / √dh</c>.
/// </para>
/// <para>
/// <see cref="Step"/> appends one token per slot to an <see cref="AttentionCache"/> at a per-slot position and attends
/// over that slot's history (incremental inference); it equals the last row of <see cref="Forward"/> on the
/// whole prefix up to rounding.
/// </para>
/// <para>
/// With <see cref="MaxDegreeOfParallelism"/> above 1, work items (sequence × head in training, slots in
/// <see cref="Step"/>) run on several threads; every item is computed by one thread in a fixed order, so results are
/// bit-identical for any thread count.
/// </para>
/// </remarks>
public sealed class CausalSelfAttention : Module
{
    private const int QueryBlock = 64;

    /// <summary>Sequences up to this length use direct vector kernels per query row instead of tiny GEMMs.</summary>
    private const int DirectMaxTime = 64;

    private readonly Linear _qkv;
    private readonly Linear _out;
    private readonly NnTensor _context = new(0, 0);
    private readonly NnTensor _contextGradient = new(0, 0);
    private readonly NnTensor _qkvGradient = new(0, 0);
    private readonly NnTensor _probabilities = new(0);
    private readonly NnTensor _scratch = new(0);
    private readonly NnTensor _transposed = new(0);
    private readonly Action<int> _forwardItem;
    private readonly Action<int> _backwardItem;
    private readonly Action<int> _stepItem;
    private NnTensor? _qkvOutput;
    private NnTensor? _stepQkv;
    private AttentionCache? _stepCache;
    private int[] _stepPositions = [];
    private int _batch = -1;
    private int _time;

    /// <summary>Creates the layer with Glorot-uniform projections and zero biases.</summary>
    /// <param name="modelDim">Model dimension d (≥ 1, divisible by <paramref name="heads"/>).</param>
    /// <param name="heads">Number of heads (≥ 1).</param>
    /// <param name="random">Source of the initial weights (W_qkv drawn first, then W_o).</param>
    public CausalSelfAttention(int modelDim, int heads, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentNullException.ThrowIfNull(random);
        if (modelDim % heads != 0)
        {
            throw new ArgumentException($"modelDim ({modelDim}) must be divisible by heads ({heads}).", nameof(heads));
        }

        ModelDim = modelDim;
        Heads = heads;
        HeadDim = modelDim / heads;
        Scale = 1f / MathF.Sqrt(HeadDim);
        _qkv = AddModule("qkv", new Linear(modelDim, 3 * modelDim, random));
        _out = AddModule("out", new Linear(modelDim, modelDim, random));
        _forwardItem = ForwardItem;
        _backwardItem = BackwardItem;
        _stepItem = StepSlot;
    }

    /// <summary>Model dimension d.</summary>
    public int ModelDim { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Per-head dimension d / heads.</summary>
    public int HeadDim { get; }

    /// <summary>The score scale 1/√dh.</summary>
    public float Scale { get; }

    /// <summary>The fused Q/K/V projection (d → 3d; output columns Q, K, V, each head-major).</summary>
    public Linear QkvProjection => _qkv;

    /// <summary>The output projection (d → d).</summary>
    public Linear OutputProjection => _out;

    /// <summary>
    /// Most threads used for the per-head / per-slot work (default 1: the calling thread only, no allocation);
    /// -1 for all cores. Results do not depend on it.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = 1;

    /// <summary>Attends causally within every sequence of a <c>[batch, time, d]</c> input.</summary>
    /// <param name="input">The input (rank 3).</param>
    /// <returns>The output, <c>[batch, time, d]</c> (module-owned).</returns>
    public override NnTensor Forward(NnTensor input)
    {
        CheckFeatures(input, ModelDim, nameof(input));
        if (input.Rank != 3)
        {
            throw new ArgumentException($"CausalSelfAttention.Forward expects input of shape [batch, time, {ModelDim}] but got {input.ShapeString()}.", nameof(input));
        }

        int batch = input.Dim(0);
        int time = input.Dim(1);
        _qkvOutput = _qkv.Forward(input);
        _context.ResizeLike(input, ModelDim);
        _probabilities.Resize(batch * Heads * time * time);
        _batch = batch;
        _time = time;
        if (time <= DirectMaxTime)
        {
            _transposed.Resize(batch * Heads * DirectScratch(time));
        }

        ParallelFor(batch * Heads, _forwardItem);
        return _out.Forward(_context);
    }

    /// <inheritdoc/>
    public override NnTensor Backward(NnTensor outputGradient)
    {
        if (_batch < 0 || _qkvOutput is null)
        {
            throw new InvalidOperationException("CausalSelfAttention.Backward needs a preceding sequence Forward.");
        }

        var dContext = _out.Backward(outputGradient);
        _contextGradient.ResizeLike(dContext, ModelDim);
        dContext.Span.CopyTo(_contextGradient.Span);
        _qkvGradient.Resize(_batch, _time, 3 * ModelDim);
        _scratch.Resize(_batch * Heads * QueryBlock * _time);
        if (_time <= DirectMaxTime)
        {
            _transposed.Resize(_batch * Heads * DirectBackwardScratch(_time));
        }

        ParallelFor(_batch * Heads, _backwardItem);
        return _qkv.Backward(_qkvGradient);
    }

    /// <summary>
    /// Incremental inference: for every slot i, appends the key and value of <c>input[i]</c> to
    /// <paramref name="cache"/> at <c>positions[i]</c> and attends over that slot's positions 0…positions[i].
    /// </summary>
    /// <param name="input">One token per slot, <c>[slots, d]</c>.</param>
    /// <param name="cache">The cache of this layer, with as many slots as <paramref name="input"/> has rows.</param>
    /// <param name="positions">The position of every slot's token, each in [0, cache capacity).</param>
    /// <returns>The output, <c>[slots, d]</c> (module-owned). A sequence <see cref="Backward"/> is invalid after this call.</returns>
    public NnTensor Step(NnTensor input, AttentionCache cache, ReadOnlySpan<int> positions)
    {
        CheckFeatures(input, ModelDim, nameof(input));
        ArgumentNullException.ThrowIfNull(cache);
        int slots = input.Rows;
        if (cache.Slots != slots || cache.Features != ModelDim)
        {
            throw new ArgumentException($"cache has {cache.Slots} slots of {cache.Features} features but input is {input.ShapeString()}.", nameof(cache));
        }

        if (positions.Length != slots)
        {
            throw new ArgumentException($"positions has length {positions.Length} but input has {slots} rows.", nameof(positions));
        }

        for (int i = 0; i < slots; i++)
        {
            if ((uint)positions[i] >= (uint)cache.Capacity)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), positions[i], $"positions[{i}] = {positions[i]} is outside the cache's [0, {cache.Capacity}) positions.");
            }
        }

        _batch = -1;
        _qkvOutput = null;
        _stepQkv = _qkv.Forward(input);
        _stepCache = cache;
        if (_stepPositions.Length < slots)
        {
            _stepPositions = new int[slots];
        }

        positions.CopyTo(_stepPositions);
        _context.Resize(slots, ModelDim);
        _scratch.Resize(Math.Max(1, slots) * cache.KeyStride);
        ParallelFor(slots, _stepItem);
        _stepCache = null;
        return _out.Forward(_context);
    }

    private void ParallelFor(int count, Action<int> body)
    {
        int threads = MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
        if (threads <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>Per-item scratch of the direct path: a transposed [dh, Tpad] copy of K (or V) plus one score row.</summary>
    private int DirectScratch(int time)
    {
        int padded = (time + 15) & ~15;
        return (HeadDim + 1) * padded;
    }

    /// <summary>Per-item scratch of the direct backward pass: <see cref="DirectScratch"/> plus the [T, T] ∂S matrix.</summary>
    private int DirectBackwardScratch(int time) => DirectScratch(time) + (time * time);

    private void ForwardItem(int item)
    {
        if (_time <= DirectMaxTime)
        {
            ForwardItemDirect(item);
            return;
        }

        int b = item / Heads;
        int h = item % Heads;
        int t = _time;
        int d = ModelDim;
        int ld = 3 * d;
        int dh = HeadDim;
        var qkv = _qkvOutput!.Span;
        var q = qkv.Slice((b * t * ld) + (h * dh));
        var k = qkv.Slice((b * t * ld) + d + (h * dh));
        var v = qkv.Slice((b * t * ld) + (2 * d) + (h * dh));
        var p = _probabilities.Span.Slice(item * t * t, t * t);
        var ctx = _context.Span.Slice((b * t * d) + (h * dh));
        for (int i0 = 0; i0 < t; i0 += QueryBlock)
        {
            int i1 = Math.Min(t, i0 + QueryBlock);
            int mb = i1 - i0;

            // S = Q_blk K[0..i1)ᵀ / √dh
            Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, mb, i1, dh, Scale,
                q.Slice(i0 * ld), ld, k, ld, 0f, p.Slice(i0 * t), t, 1, GemmKernelKind.Auto);
            for (int i = i0; i < i1; i++)
            {
                var row = p.Slice(i * t, i1);
                AttentionKernels.Softmax(row.Slice(0, i + 1));
                row.Slice(i + 1).Clear();
            }

            // A_blk = P_blk V[0..i1)
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, mb, dh, i1, 1f,
                p.Slice(i0 * t), t, v, ld, 0f, ctx.Slice(i0 * d), d, 1, GemmKernelKind.Auto);
        }
    }

    private void BackwardItem(int item)
    {
        if (_time <= DirectMaxTime)
        {
            BackwardItemDirect(item);
            return;
        }

        int b = item / Heads;
        int h = item % Heads;
        int t = _time;
        int d = ModelDim;
        int ld = 3 * d;
        int dh = HeadDim;
        var qkv = _qkvOutput!.Span;
        int qOff = (b * t * ld) + (h * dh);
        var q = qkv.Slice(qOff);
        var k = qkv.Slice(qOff + d);
        var v = qkv.Slice(qOff + (2 * d));
        var dqkv = _qkvGradient.Span;
        var dq = dqkv.Slice(qOff);
        var dk = dqkv.Slice(qOff + d);
        var dv = dqkv.Slice(qOff + (2 * d));
        var p = _probabilities.Span.Slice(item * t * t, t * t);
        var dA = _contextGradient.Span.Slice((b * t * d) + (h * dh));
        var ds = _scratch.Span.Slice(item * QueryBlock * t, QueryBlock * t);
        for (int i = 0; i < t; i++)
        {
            dk.Slice(i * ld, dh).Clear();
            dv.Slice(i * ld, dh).Clear();
        }

        for (int i0 = 0; i0 < t; i0 += QueryBlock)
        {
            int i1 = Math.Min(t, i0 + QueryBlock);
            int mb = i1 - i0;
            var pBlock = p.Slice(i0 * t);
            var dABlock = dA.Slice(i0 * d);

            // ∂V[0..i1) += P_blkᵀ ∂A_blk
            Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, i1, dh, mb, 1f,
                pBlock, t, dABlock, d, 1f, dv, ld, 1, GemmKernelKind.Auto);

            // ∂P_blk = ∂A_blk V[0..i1)ᵀ
            Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, mb, i1, dh, 1f,
                dABlock, d, v, ld, 0f, ds, i1, 1, GemmKernelKind.Auto);

            // ∂S = P ⊙ (∂P − Σ_j ∂P_j P_j), causal part only.
            for (int i = i0; i < i1; i++)
            {
                var pr = p.Slice(i * t, i + 1);
                var dsr = ds.Slice((i - i0) * i1, i1);
                var live = dsr.Slice(0, i + 1);
                float dot = TensorPrimitives.Dot(live, pr);
                TensorPrimitives.Subtract(live, dot, live);
                TensorPrimitives.Multiply(live, pr, live);
                dsr.Slice(i + 1).Clear();
            }

            // ∂Q_blk = ∂S K[0..i1) / √dh ;  ∂K[0..i1) += ∂Sᵀ Q_blk / √dh
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, mb, dh, i1, Scale,
                ds, i1, k, ld, 0f, dq.Slice(i0 * ld), ld, 1, GemmKernelKind.Auto);
            Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, i1, dh, mb, Scale,
                ds, i1, q.Slice(i0 * ld), ld, 1f, dk, ld, 1, GemmKernelKind.Auto);
        }
    }

    /// <summary>Copies rows [0, t) of one head's K or V (row stride ld) transposed into [dh, padded], zero-padded.</summary>
    private static void Transpose(ReadOnlySpan<float> source, int ld, int t, int dh, int padded, Span<float> destination)
    {
        if (t > padded || source.Length < ((t - 1) * ld) + dh || destination.Length < dh * padded)
        {
            throw new ArgumentException("Transpose buffers are too small.", nameof(destination));
        }

        ref float s0 = ref MemoryMarshal.GetReference(source);
        for (int c = 0; c < dh; c++)
        {
            var row = destination.Slice(c * padded, padded);
            ref float d = ref MemoryMarshal.GetReference(row);
            ref float s = ref Unsafe.Add(ref s0, c);
            for (int j = 0; j < t; j++)
            {
                Unsafe.Add(ref d, j) = Unsafe.Add(ref s, j * ld);
            }

            row.Slice(t).Clear();
        }
    }

    /// <summary>Forward of one (sequence, head) with per-row vector kernels (short sequences).</summary>
    private void ForwardItemDirect(int item)
    {
        int b = item / Heads;
        int h = item % Heads;
        int t = _time;
        int d = ModelDim;
        int ld = 3 * d;
        int dh = HeadDim;
        int padded = (t + 15) & ~15;
        var qkv = _qkvOutput!.Span;
        int qOff = (b * t * ld) + (h * dh);
        var q = qkv.Slice(qOff);
        var v = qkv.Slice(qOff + (2 * d));
        var p = _probabilities.Span.Slice(item * t * t, t * t);
        var ctx = _context.Span.Slice((b * t * d) + (h * dh));
        var scratch = _transposed.Span.Slice(item * DirectScratch(t), DirectScratch(t));
        var kt = scratch.Slice(0, dh * padded);
        var scores = scratch.Slice(dh * padded, padded);
        Transpose(qkv.Slice(qOff + d), ld, t, dh, padded, kt);
        int width = AttentionKernels.BestWidth;
        for (int i = 0; i < t; i++)
        {
            AttentionKernels.Scores(q.Slice(i * ld, dh), kt, padded, i + 1, Scale, scores, width);
            var row = p.Slice(i * t, t);
            var live = row.Slice(0, i + 1);
            scores.Slice(0, i + 1).CopyTo(live);
            AttentionKernels.Softmax(live);
            row.Slice(i + 1).Clear();
            AttentionKernels.WeightedSum(live, v, ld, i + 1, ctx.Slice(i * d, dh), width);
        }
    }

    /// <summary>Backward of one (sequence, head) with per-row vector kernels (short sequences).</summary>
    private void BackwardItemDirect(int item)
    {
        int b = item / Heads;
        int h = item % Heads;
        int t = _time;
        int d = ModelDim;
        int ld = 3 * d;
        int dh = HeadDim;
        int padded = (t + 15) & ~15;
        var qkv = _qkvOutput!.Span;
        int qOff = (b * t * ld) + (h * dh);
        var q = qkv.Slice(qOff);
        var k = qkv.Slice(qOff + d);
        var dqkv = _qkvGradient.Span;
        var dq = dqkv.Slice(qOff);
        var dk = dqkv.Slice(qOff + d);
        var dv = dqkv.Slice(qOff + (2 * d));
        var p = _probabilities.Span.Slice(item * t * t, t * t);
        var dA = _contextGradient.Span.Slice((b * t * d) + (h * dh));
        int size = DirectBackwardScratch(t);
        var scratch = _transposed.Span.Slice(item * size, size);
        var vt = scratch.Slice(0, dh * padded);
        var ds = scratch.Slice(dh * padded, padded);
        var dsRows = scratch.Slice((dh + 1) * padded, t * t);
        Transpose(qkv.Slice(qOff + (2 * d)), ld, t, dh, padded, vt);
        int width = AttentionKernels.BestWidth;
        for (int i = 0; i < t; i++)
        {
            var pr = p.Slice(i * t, i + 1);
            var dAi = dA.Slice(i * d, dh);

            // ∂P_i = ∂A_i Vᵀ, ∂S_i = P_i ⊙ (∂P_i − ∂P_i·P_i)
            AttentionKernels.Scores(dAi, vt, padded, i + 1, 1f, ds, width);
            var live = ds.Slice(0, i + 1);
            float dot = TensorPrimitives.Dot(live, pr);
            TensorPrimitives.Subtract(live, dot, live);
            TensorPrimitives.Multiply(live, pr, live);

            // ∂Q_i = ∂S_i K / √dh
            var dqi = dq.Slice(i * ld, dh);
            AttentionKernels.WeightedSum(live, k, ld, i + 1, dqi, width);
            TensorPrimitives.Multiply(dqi, Scale, dqi);
            live.CopyTo(dsRows.Slice(i * t, i + 1));
        }

        // ∂K_j = Σ_{i ≥ j} ∂S_ij Q_i / √dh ; ∂V_j = Σ_{i ≥ j} P_ij ∂A_i, each row summed in registers.
        AttentionKernels.KeyValueGradients(dsRows, p, t, t, Scale, q, ld, dA, d, dk, dv, ld, dh);
    }

    private void StepSlot(int slot)
    {
        var cache = _stepCache!;
        int d = ModelDim;
        int dh = HeadDim;
        int stride = cache.KeyStride;
        int cap = cache.Capacity;
        int pos = _stepPositions[slot];
        int count = pos + 1;
        var row = _stepQkv!.Span.Slice(slot * 3 * d, 3 * d);
        var keys = cache.Keys.AsSpan((int)((long)slot * d * stride), d * stride);
        var values = cache.Values.AsSpan((int)((long)slot * cap * d), cap * d);
        for (int c = 0; c < d; c++)
        {
            keys[(c * stride) + pos] = row[d + c];
        }

        row.Slice(2 * d, d).CopyTo(values.Slice(pos * d, d));
        var scores = _scratch.Span.Slice(slot * stride, stride);
        var ctx = _context.Span.Slice(slot * d, d);
        for (int h = 0; h < Heads; h++)
        {
            AttentionKernels.Scores(row.Slice(h * dh, dh), keys.Slice(h * dh * stride), stride, count, Scale, scores, AttentionKernels.BestWidth);
            var live = scores.Slice(0, count);
            AttentionKernels.Softmax(live);
            AttentionKernels.WeightedSum(live, values.Slice(h * dh), d, count, ctx.Slice(h * dh, dh), AttentionKernels.BestWidth);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _context.Dispose();
            _contextGradient.Dispose();
            _qkvGradient.Dispose();
            _probabilities.Dispose();
            _scratch.Dispose();
            _transposed.Dispose();
        }

        base.Dispose(disposing);
    }
}
