using System.Runtime.InteropServices;
using RL3.Core.Nn.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using TorchParameter = TorchSharp.Modules.Parameter;

namespace RL3.Core.TorchSharp;

/// <summary>
/// A torch policy's parameters in the interchange order and layout (<see cref="TorchParameterBinding"/>): reading and
/// writing them (or their gradients) as one flat host vector, and as a <see cref="TensorArchive"/>.
/// </summary>
internal sealed class TorchParameterSet
{
    private readonly TorchParameter[] _parameters;
    private readonly bool[] _transposed;
    private readonly int[][] _shapes;
    private readonly long[] _lengths;

    public TorchParameterSet(IReadOnlyList<TorchParameterBinding> bindings, nn.Module actor, nn.Module critic, string policyName)
    {
        var actorParameters = actor.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var criticParameters = critic.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        int n = bindings.Count;
        Names = new string[n];
        _parameters = new TorchParameter[n];
        _transposed = new bool[n];
        _shapes = new int[n][];
        _lengths = new long[n];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        bool critics = false;
        for (int i = 0; i < n; i++)
        {
            var b = bindings[i] ?? throw new ArgumentException($"{policyName}: parameter binding {i} is null.", nameof(bindings));
            bool isActor = b.Name.StartsWith("actor.", StringComparison.Ordinal);
            bool isCritic = b.Name.StartsWith("critic.", StringComparison.Ordinal);
            if (!isActor && !isCritic)
            {
                throw new ArgumentException($"{policyName}: binding '{b.Name}' must start with 'actor.' or 'critic.'.", nameof(bindings));
            }

            if (isActor && critics)
            {
                throw new ArgumentException($"{policyName}: binding '{b.Name}' is an actor parameter after a critic parameter (actor first, then critic).", nameof(bindings));
            }

            critics |= isCritic;
            if (!names.Add(b.Name))
            {
                throw new ArgumentException($"{policyName}: binding '{b.Name}' appears twice.", nameof(bindings));
            }

            var source = isActor ? actorParameters : criticParameters;
            if (!source.TryGetValue(b.TorchName, out var p))
            {
                throw new ArgumentException($"{policyName}: binding '{b.Name}' names '{b.TorchName}', which the {(isActor ? "actor" : "critic")} module does not have.", nameof(bindings));
            }

            if (!used.Add((isActor ? "a:" : "c:") + b.TorchName))
            {
                throw new ArgumentException($"{policyName}: '{b.TorchName}' is bound twice.", nameof(bindings));
            }

            var shape = p.shape.Select(d => checked((int)d)).ToArray();
            if (b.Transposed)
            {
                if (shape.Length != 2)
                {
                    throw new ArgumentException($"{policyName}: binding '{b.Name}' is transposed but '{b.TorchName}' has {shape.Length} dimensions (2 needed).", nameof(bindings));
                }

                shape = [shape[1], shape[0]];
            }

            Names[i] = b.Name;
            _parameters[i] = p;
            _transposed[i] = b.Transposed;
            _shapes[i] = shape;
            _lengths[i] = p.numel();
            if (isActor)
            {
                ActorCount++;
            }
        }

        if (used.Count != actorParameters.Count + criticParameters.Count)
        {
            var unbound = actorParameters.Keys.Where(k => !used.Contains("a:" + k)).Select(k => "actor " + k)
                .Concat(criticParameters.Keys.Where(k => !used.Contains("c:" + k)).Select(k => "critic " + k));
            throw new ArgumentException($"{policyName}: every module parameter needs a binding; unbound: {string.Join(", ", unbound)}.", nameof(bindings));
        }

        Count = checked((int)_lengths.Sum());
        ActorLength = checked((int)_lengths.Take(ActorCount).Sum());
    }

    /// <summary>The interchange names, actor first.</summary>
    public string[] Names { get; }

    /// <summary>The number of actor parameters (they come first).</summary>
    public int ActorCount { get; }

    /// <summary>Scalars in all parameters.</summary>
    public int Count { get; }

    /// <summary>Scalars in the actor's parameters (the first part of the flat layout).</summary>
    public int ActorLength { get; }

    /// <summary>The torch parameters, actor first.</summary>
    public IReadOnlyList<TorchParameter> Parameters => _parameters;

    public IEnumerable<TorchParameter> Actor => _parameters.Take(ActorCount);

    public IEnumerable<TorchParameter> Critic => _parameters.Skip(ActorCount);

    /// <summary>Gives every parameter a zero gradient tensor, so that gradients always exist (backward accumulates into them).</summary>
    public void MaterializeGradients()
    {
        foreach (var p in _parameters)
        {
            using var g = p.grad;
            if (g is null)
            {
                p.grad = zeros_like(p).DetachFromDisposeScope();
            }
        }
    }

    public void ZeroGradients()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _parameters)
        {
            p.grad?.zero_();
        }
    }

    /// <summary>Copies parameter values (or gradients) into <paramref name="destination"/> in the flat interchange layout.</summary>
    public void CopyTo(Span<float> destination, bool gradients)
    {
        using var scope = NewDisposeScope();
        Flatten(gradients ? [.. _parameters.Select(p => p.grad!)] : _parameters, destination);
    }

    /// <summary>Overwrites parameter values (or gradients) from <paramref name="source"/> in the flat interchange layout.</summary>
    public void CopyFrom(ReadOnlySpan<float> source, bool gradients)
    {
        using var scope = NewDisposeScope();
        Unflatten(source, gradients ? [.. _parameters.Select(p => p.grad!)] : _parameters);
    }

    /// <summary>
    /// Writes tensors shaped like the parameters (values, gradients, optimiser moments; index-aligned with
    /// <see cref="Parameters"/>) into <paramref name="destination"/> in the flat interchange layout: one download.
    /// </summary>
    public void Flatten(IReadOnlyList<Tensor> tensors, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var parts = new Tensor[tensors.Count];
            for (int i = 0; i < parts.Length; i++)
            {
                var t = tensors[i].detach();
                parts[i] = (_transposed[i] ? t.t() : t).reshape(-1);
            }

            if (parts.Length == 0)
            {
                return;
            }

            var flat = cat(parts, 0).cpu().contiguous();
            MemoryMarshal.Cast<byte, float>(flat.bytes).CopyTo(destination);
        }
    }

    /// <summary>Overwrites tensors shaped like the parameters from <paramref name="source"/> in the flat interchange layout: one upload.</summary>
    public void Unflatten(ReadOnlySpan<float> source, IReadOnlyList<Tensor> targets)
    {
        if (targets.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var host = empty(source.Length, ScalarType.Float32);
            source.CopyTo(MemoryMarshal.Cast<byte, float>(host.bytes));
            var device = targets[0].device_type == DeviceType.CPU ? host : host.to(targets[0].device_type, targets[0].device_index);
            long offset = 0;
            for (int i = 0; i < targets.Count; i++)
            {
                var piece = device.narrow(0, offset, _lengths[i]).reshape([.. _shapes[i].Select(d => (long)d)]);
                targets[i].copy_(_transposed[i] ? piece.t() : piece);
                offset += _lengths[i];
            }
        }
    }

    /// <summary>Adds every parameter (interchange name, shape and layout) to <paramref name="archive"/>.</summary>
    public void AddTo(TensorArchive archive)
    {
        var flat = new float[Count];
        CopyTo(flat, gradients: false);
        AddFlat(archive, string.Empty, flat, 0, _parameters.Length);
    }

    /// <summary>
    /// Adds parameters <paramref name="first"/> to <paramref name="end"/> of a flat vector in the interchange layout to
    /// <paramref name="archive"/> as one tensor each, named <c>{prefix}{name}</c>; <paramref name="flat"/> starts at parameter <paramref name="first"/>.
    /// </summary>
    public void AddFlat(TensorArchive archive, string prefix, ReadOnlySpan<float> flat, int first, int end)
    {
        int offset = 0;
        for (int i = first; i < end; i++)
        {
            int length = (int)_lengths[i];
            archive.AddTensor(prefix + Names[i], _shapes[i], flat.Slice(offset, length));
            offset += length;
        }
    }

    /// <summary>
    /// Reads the tensors <c>{prefix}{name}</c> of parameters <paramref name="first"/> to <paramref name="end"/> from
    /// <paramref name="archive"/> into <paramref name="flat"/> (the whole flat vector, at those parameters' offsets),
    /// checking every name and shape.
    /// </summary>
    public void ReadFlat(TensorArchive archive, string prefix, int first, int end, float[] flat, string owner)
    {
        var present = new HashSet<string>(archive.TensorNames, StringComparer.Ordinal);
        long offset = _lengths.Take(first).Sum();
        for (int i = first; i < end; i++)
        {
            string name = prefix + Names[i];
            if (!present.Contains(name))
            {
                throw new InvalidDataException($"Tensor '{name}' is missing from the {owner}.");
            }

            var shape = archive.GetShape(name);
            if (!shape.AsSpan().SequenceEqual(_shapes[i]))
            {
                throw new InvalidDataException($"Tensor '{name}' has shape [{string.Join(", ", shape)}] in the {owner} but [{string.Join(", ", _shapes[i])}] is expected.");
            }

            archive.GetData(name).CopyTo(flat.AsSpan((int)offset));
            offset += _lengths[i];
        }
    }

    /// <summary>Reads every parameter from <paramref name="archive"/> (no prefix) and rejects other <c>actor.</c>/<c>critic.</c> tensors (architecture mismatch).</summary>
    public float[] ReadAll(TensorArchive archive, string owner)
    {
        var flat = new float[Count];
        ReadFlat(archive, string.Empty, 0, _parameters.Length, flat, owner);
        var expected = new HashSet<string>(Names, StringComparer.Ordinal);
        foreach (string name in archive.TensorNames)
        {
            if ((name.StartsWith("actor.", StringComparison.Ordinal) || name.StartsWith("critic.", StringComparison.Ordinal)) && !expected.Contains(name))
            {
                throw new InvalidDataException($"The {owner} has a parameter '{name}' that this policy does not have (architecture mismatch).");
            }
        }

        return flat;
    }
}
