using System.Numerics;
using RL3.Core.Nn.Serialization;

namespace RL3.Core.Nn.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with optional coupled L2 or decoupled (AdamW) weight decay, in the PyTorch form.
/// </summary>
/// <remarks>
/// One <see cref="Step()"/>, with t the step count after increment and per element:
/// <code>
/// g ← ∇θ (+ λ·θ               if coupled L2)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − η·λ·θ               (if decoupled)
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Weight decay applies only to parameters with <see cref="Parameter.WeightDecay"/> set. Gradients are read,
/// not cleared. The state (t, m, v) can be saved to and restored from a <see cref="TensorArchive"/>.
/// </remarks>
public sealed class Adam : IDisposable
{
    private readonly KeyValuePair<string, Parameter>[] _parameters;
    private readonly NnTensor[] _m;
    private readonly NnTensor[] _v;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly double _epsilon;
    private readonly float _weightDecay;
    private readonly WeightDecayMode _mode;

    /// <summary>Creates the optimiser over named parameters (for example <c>module.NamedParameters()</c>).</summary>
    /// <param name="parameters">The parameters with unique names (the names key the saved state).</param>
    /// <param name="options">The settings (copied and validated; <see langword="null"/> for the defaults).</param>
    /// <exception cref="ArgumentException">A name repeats or a parameter appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public Adam(IEnumerable<KeyValuePair<string, Parameter>> parameters, AdamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new AdamOptions();
        CheckRange(options.LearningRate >= 0 && double.IsFinite(options.LearningRate), nameof(options.LearningRate), options.LearningRate, "must be finite and non-negative");
        CheckRange(options.Beta1 is >= 0 and < 1, nameof(options.Beta1), options.Beta1, "must be in [0, 1)");
        CheckRange(options.Beta2 is >= 0 and < 1, nameof(options.Beta2), options.Beta2, "must be in [0, 1)");
        CheckRange(options.Epsilon > 0 && double.IsFinite(options.Epsilon), nameof(options.Epsilon), options.Epsilon, "must be positive and finite");
        CheckRange(options.WeightDecay >= 0 && double.IsFinite(options.WeightDecay), nameof(options.WeightDecay), options.WeightDecay, "must be finite and non-negative");
        if (!Enum.IsDefined(options.WeightDecayMode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.WeightDecayMode, "WeightDecayMode is not a defined value.");
        }

        _parameters = [.. parameters];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var p in _parameters)
        {
            ArgumentNullException.ThrowIfNull(p.Value, nameof(parameters));
            if (!names.Add(p.Key))
            {
                throw new ArgumentException($"The parameter name '{p.Key}' appears twice.", nameof(parameters));
            }

            if (!seen.Add(p.Value))
            {
                throw new ArgumentException($"The parameter '{p.Key}' is listed twice (under another name as well).", nameof(parameters));
            }
        }

        LearningRate = options.LearningRate;
        _beta1 = (float)options.Beta1;
        _beta2 = (float)options.Beta2;
        _epsilon = options.Epsilon;
        _weightDecay = (float)options.WeightDecay;
        _mode = options.WeightDecayMode;
        _m = new NnTensor[_parameters.Length];
        _v = new NnTensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _m[i] = new NnTensor(_parameters[i].Value.Value.Shape);
            _v[i] = new NnTensor(_parameters[i].Value.Value.Shape);
        }
    }

    /// <summary>The learning rate η used by the next <see cref="Step()"/>.</summary>
    public double LearningRate
    {
        get;
        set
        {
            CheckRange(value >= 0 && double.IsFinite(value), nameof(LearningRate), value, "must be finite and non-negative");
            field = value;
        }
    }

    /// <summary>Number of steps taken (t).</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimised parameters with their names.</summary>
    public IReadOnlyList<KeyValuePair<string, Parameter>> Parameters => _parameters;

    /// <summary>Sets every optimised parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.Value.ZeroGrad();
        }
    }

    /// <summary>Takes one Adam step using the parameters' current gradients.</summary>
    public void Step()
    {
        StepCount++;
        double bc1 = 1 - Math.Pow(_beta1, StepCount);
        double bc2 = 1 - Math.Pow(_beta2, StepCount);
        float stepSize = (float)(LearningRate / bc1);
        float invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        float eps = (float)_epsilon;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i].Value;
            float wd = p.WeightDecay ? _weightDecay : 0f;
            float coupled = _mode == WeightDecayMode.CoupledL2 ? wd : 0f;
            float decoupled = _mode == WeightDecayMode.Decoupled ? (float)(1 - (LearningRate * wd)) : 1f;
            Update(p.Value.Span, p.Gradient.Span, _m[i].Span, _v[i].Span, coupled, decoupled, stepSize, invSqrtBc2, eps);
        }
    }

    /// <summary>Writes t, m and v into <paramref name="archive"/> as <c>{prefix}step</c>, <c>{prefix}m.{name}</c>, <c>{prefix}v.{name}</c>.</summary>
    /// <param name="archive">The archive to add to.</param>
    /// <param name="prefix">Prefix of every entry (default <c>adam.</c>), so several optimisers can share one archive.</param>
    public void SaveState(TensorArchive archive, string prefix = "adam.")
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(prefix);
        archive.SetInt64(prefix + "step", StepCount);
        for (int i = 0; i < _parameters.Length; i++)
        {
            archive.AddTensor(prefix + "m." + _parameters[i].Key, _m[i]);
            archive.AddTensor(prefix + "v." + _parameters[i].Key, _v[i]);
        }
    }

    /// <summary>
    /// Restores t, m and v saved by <see cref="SaveState"/>. Everything is validated first; on any mismatch
    /// nothing is changed.
    /// </summary>
    /// <param name="archive">The archive to read.</param>
    /// <param name="prefix">The prefix used when saving.</param>
    /// <exception cref="InvalidDataException">An entry is missing or has the wrong shape (the message names it).</exception>
    public void LoadState(TensorArchive archive, string prefix = "adam.")
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!archive.TryGetInt64(prefix + "step", out long step) || step < 0)
        {
            throw new InvalidDataException($"Optimiser state entry '{prefix}step' is missing or negative.");
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            archive.CheckTensor(prefix + "m." + _parameters[i].Key, _m[i]);
            archive.CheckTensor(prefix + "v." + _parameters[i].Key, _v[i]);
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            archive.GetData(prefix + "m." + _parameters[i].Key).CopyTo(_m[i].Span);
            archive.GetData(prefix + "v." + _parameters[i].Key).CopyTo(_v[i].Span);
        }

        StepCount = step;
    }

    /// <summary>Releases the moment buffers.</summary>
    public void Dispose()
    {
        foreach (var t in _m)
        {
            t.Dispose();
        }

        foreach (var t in _v)
        {
            t.Dispose();
        }
    }

    private void Update(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float coupled, float decoupled, float stepSize, float invSqrtBc2, float eps)
    {
        float b1 = _beta1, b2 = _beta2, ob1 = 1f - _beta1, ob2 = 1f - _beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var vob1 = new Vector<float>(ob1);
            var vob2 = new Vector<float>(ob2);
            var vc = new Vector<float>(coupled);
            var vd = new Vector<float>(decoupled);
            var vs = new Vector<float>(stepSize);
            var vi = new Vector<float>(invSqrtBc2);
            var ve = new Vector<float>(eps);
            for (; i + w <= theta.Length; i += w)
            {
                var th = new Vector<float>(theta.Slice(i, w));
                var g = new Vector<float>(grad.Slice(i, w)) + (vc * th);
                var mv = (vb1 * new Vector<float>(m.Slice(i, w))) + (vob1 * g);
                var vv = (vb2 * new Vector<float>(v.Slice(i, w))) + (vob2 * g * g);
                mv.CopyTo(m.Slice(i, w));
                vv.CopyTo(v.Slice(i, w));
                th = (th * vd) - (vs * mv / ((Vector.SquareRoot(vv) * vi) + ve));
                th.CopyTo(theta.Slice(i, w));
            }
        }

        for (; i < theta.Length; i++)
        {
            float th = theta[i];
            float g = grad[i] + (coupled * th);
            float mv = (b1 * m[i]) + (ob1 * g);
            float vv = (b2 * v[i]) + (ob2 * g * g);
            m[i] = mv;
            v[i] = vv;
            theta[i] = (th * decoupled) - (stepSize * mv / ((MathF.Sqrt(vv) * invSqrtBc2) + eps));
        }
    }

    private static void CheckRange(bool ok, string name, double value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
    }
}
