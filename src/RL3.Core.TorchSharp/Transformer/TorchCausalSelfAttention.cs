using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp.Transformer;

/// <summary>
/// Causal multi-head self-attention with a fused Q/K/V projection, written with torch operations:
/// <c>[Q K V] = x W_qkvᵀ + b_qkv</c>, per head <c>A_h = softmax(Q_h K_hᵀ / √dh + causal mask) V_h</c>,
/// <c>y = concat_h(A_h) W_oᵀ + b_o</c> (the in-house <c>CausalSelfAttention</c>; Q, K and V are the three
/// d-wide column blocks of the projection, each head-major).
/// </summary>
/// <remarks>
/// <see cref="forward"/> attends within whole <c>[B, T, d]</c> sequences with
/// <c>scaled_dot_product_attention(is_casual: true)</c>; <see cref="Step"/> writes one token per slot into the layer's
/// key/value cache (<c>[N, heads, capacity, head dim]</c> each, on the device) at that slot's position and attends over
/// the slot's valid prefix through a boolean mask, so slots at different positions share one batched call. Entries past
/// a slot's position (left from before a reset) are masked, so a reset needs no clearing.
/// </remarks>
internal sealed class TorchCausalSelfAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear _qkv;

    [ComponentName(Name = "out")]
    private readonly Linear _out;

    private readonly long _modelDim;
    private readonly long _heads;
    private readonly long _headDim;

    /// <summary>Creates the layer with zero weights (the policy imports its initial weights).</summary>
    public TorchCausalSelfAttention(int modelDim, int heads, Device device)
        : base(nameof(TorchCausalSelfAttention))
    {
        _modelDim = modelDim;
        _heads = heads;
        _headDim = modelDim / heads;
        _qkv = TorchLayers.Dense(modelDim, 3 * modelDim, device);
        _out = TorchLayers.Dense(modelDim, modelDim, device);
        RegisterComponents();
    }

    /// <summary>Causal attention within every sequence: <c>[B, T, d]</c> → <c>[B, T, d]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0];
        long t = input.shape[1];

        // [B, T, 3d] → [3, B, H, T, dh]
        using var qkv = _qkv.forward(input).view(b, t, 3, _heads, _headDim).permute(2, 0, 3, 1, 4);
        using var q = qkv.select(0, 0);
        using var k = qkv.select(0, 1);
        using var v = qkv.select(0, 2);
        using var a = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        using var context = a.transpose(1, 2).reshape(b, t, _modelDim);
        return _out.forward(context);
    }

    /// <summary>
    /// One token per slot: writes the token's key and value into the cache at the slot's position and attends over the
    /// first <paramref name="length"/> cached positions where <paramref name="mask"/> allows.
    /// </summary>
    /// <param name="input">One token per slot, <c>[N, d]</c>.</param>
    /// <param name="keys">This layer's cached keys, <c>[N, heads, capacity, head dim]</c> (written at the slots' positions).</param>
    /// <param name="values">This layer's cached values, same shape.</param>
    /// <param name="slots">0…N−1 (long, on the device).</param>
    /// <param name="positions">Every slot's position (long, on the device).</param>
    /// <param name="mask">True where slot i may attend to position j: <c>[N, 1, 1, length]</c>.</param>
    /// <param name="length">The number of cached positions looked at (the largest position + 1).</param>
    /// <returns>The output, <c>[N, d]</c>.</returns>
    public Tensor Step(Tensor input, Tensor keys, Tensor values, Tensor slots, Tensor positions, Tensor mask, long length)
    {
        long n = input.shape[0];

        // [N, 3d] → [N, 3, H, dh]
        using var qkv = _qkv.forward(input).view(n, 3, _heads, _headDim);
        using var q = qkv.select(1, 0).unsqueeze(2);
        using var k = qkv.select(1, 1);
        using var v = qkv.select(1, 2);

        // K[i, :, p_i, :] = k_i (advanced indices on dims 0 and 2 select [N, H, dh]).
        keys.index_put_(k, TensorIndex.Tensor(slots), TensorIndex.Colon, TensorIndex.Tensor(positions));
        values.index_put_(v, TensorIndex.Tensor(slots), TensorIndex.Colon, TensorIndex.Tensor(positions));
        using var history = keys.narrow(2, 0, length);
        using var historyValues = values.narrow(2, 0, length);
        using var a = nn.functional.scaled_dot_product_attention(q, history, historyValues, mask);
        using var context = a.reshape(n, _modelDim);
        return _out.forward(context);
    }
}
