using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using static TorchSharp.torch;
using TorchAdam = TorchSharp.Modules.Adam;
using TorchParameter = TorchSharp.Modules.Parameter;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The TorchSharp backend's <see cref="IPolicyOptimizer"/>: one <c>torch.optim.Adam</c> for the actor, one for the critic
/// with coupled weight decay (<c>Adam(weight_decay = λ)</c>, as the in-house engine), and <c>clip_grad_norm_</c> per group.
/// </summary>
/// <remarks>
/// The flat layout (<see cref="CopyGradientsTo"/> and the others) is the interchange layout of the policy's parameters,
/// the in-house engine's. The saved state has the in-house optimiser's entries (<c>actor.step</c>,
/// <c>actor.m.actor.…</c>, <c>actor.v.actor.…</c>, then <c>critic.…</c>), so a checkpoint's optimiser state moves between
/// the engines with its weights.
/// </remarks>
internal sealed class TorchPolicyOptimizer : IPolicyOptimizer
{
    private const string ActorPrefix = "actor.";
    private const string CriticPrefix = "critic.";

    private readonly TorchParameterSet _parameters;
    private readonly TorchAdam _actor;
    private readonly TorchAdam _critic;
    private readonly TorchParameter[] _actorParameters;
    private readonly TorchParameter[] _criticParameters;

    public TorchPolicyOptimizer(TorchParameterSet parameters, PolicyOptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _parameters = parameters;
        _actorParameters = [.. parameters.Actor];
        _criticParameters = [.. parameters.Critic];
        _actor = optim.Adam(_actorParameters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, weight_decay: 0);
        _critic = optim.Adam(_criticParameters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, weight_decay: settings.CriticWeightDecay);
        LearningRate = settings.LearningRate;
    }

    public double LearningRate
    {
        get;
        set
        {
            if (!(value >= 0 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "LearningRate must be finite and ≥ 0.");
            }

            foreach (var g in _actor.ParamGroups.Concat(_critic.ParamGroups))
            {
                g.LearningRate = value;
            }

            field = value;
        }
    }

    public int ParameterCount => _parameters.Count;

    public void ZeroGrad() => _parameters.ZeroGradients();

    public double GradientNorm(PolicyParameterGroups groups)
    {
        var selected = Select(groups);
        if (selected.Length == 0)
        {
            return 0;
        }

        using var scope = NewDisposeScope();
        using (no_grad())
        {
            // The norm of the per-tensor norms, as clip_grad_norm_ computes it.
            var norms = selected.Select(p => linalg.vector_norm(p.grad!, 2)).ToArray();
            return linalg.vector_norm(stack(norms), 2).item<float>();
        }
    }

    public double ClipGradientNorm(PolicyParameterGroups groups, double maxNorm)
    {
        var selected = Select(groups);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        }

        return selected.Length == 0 ? 0 : nn.utils.clip_grad_norm_(selected, maxNorm);
    }

    public void Step(PolicyParameterGroups groups)
    {
        CheckGroups(groups);
        using var scope = NewDisposeScope();
        if ((groups & PolicyParameterGroups.Actor) != 0)
        {
            _actor.step();
        }

        if ((groups & PolicyParameterGroups.Critic) != 0)
        {
            _critic.step();
        }
    }

    public void CopyGradientsTo(Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        _parameters.CopyTo(destination, gradients: true);
    }

    public void CopyGradientsFrom(ReadOnlySpan<float> source)
    {
        CheckLength(source.Length, nameof(source));
        _parameters.CopyFrom(source, gradients: true);
    }

    public void CopyParametersTo(Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        _parameters.CopyTo(destination, gradients: false);
    }

    public void CopyParametersFrom(ReadOnlySpan<float> source)
    {
        CheckLength(source.Length, nameof(source));
        _parameters.CopyFrom(source, gradients: false);
    }

    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = new TensorArchive();
        var (actorStep, criticStep, m, v) = ReadMoments();
        archive.SetInt64(ActorPrefix + "step", actorStep);
        archive.SetInt64(CriticPrefix + "step", criticStep);
        _parameters.AddFlat(archive, ActorPrefix + "m.", m.AsSpan(0, _parameters.ActorLength), 0, _parameters.ActorCount);
        _parameters.AddFlat(archive, ActorPrefix + "v.", v.AsSpan(0, _parameters.ActorLength), 0, _parameters.ActorCount);
        _parameters.AddFlat(archive, CriticPrefix + "m.", m.AsSpan(_parameters.ActorLength), _parameters.ActorCount, _parameters.Parameters.Count);
        _parameters.AddFlat(archive, CriticPrefix + "v.", v.AsSpan(_parameters.ActorLength), _parameters.ActorCount, _parameters.Parameters.Count);
        archive.WriteTo(stream);
    }

    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = TensorArchive.ReadFrom(stream);
        long actorStep = ReadStep(archive, ActorPrefix);
        long criticStep = ReadStep(archive, CriticPrefix);
        var m = new float[_parameters.Count];
        var v = new float[_parameters.Count];
        _parameters.ReadFlat(archive, ActorPrefix + "m.", 0, _parameters.ActorCount, m, "optimiser state");
        _parameters.ReadFlat(archive, ActorPrefix + "v.", 0, _parameters.ActorCount, v, "optimiser state");
        _parameters.ReadFlat(archive, CriticPrefix + "m.", _parameters.ActorCount, _parameters.Parameters.Count, m, "optimiser state");
        _parameters.ReadFlat(archive, CriticPrefix + "v.", _parameters.ActorCount, _parameters.Parameters.Count, v, "optimiser state");
        WriteMoments(actorStep, criticStep, m, v);
    }

    public void Dispose()
    {
        _actor.Dispose();
        _critic.Dispose();
    }

    private static long ReadStep(TensorArchive archive, string prefix)
    {
        if (!archive.TryGetInt64(prefix + "step", out long step) || step < 0)
        {
            throw new InvalidDataException($"Optimiser state entry '{prefix}step' is missing or negative.");
        }

        return step;
    }

    // Adam's per-parameter state in the flat interchange layout. TorchSharp keeps a step count per parameter; the groups
    // step all their parameters together, so the first parameter's count is the group's.
    private (long ActorStep, long CriticStep, float[] M, float[] V) ReadMoments()
    {
        var m = new float[_parameters.Count];
        var v = new float[_parameters.Count];
        long actorStep = 0, criticStep = 0;
        var states = AdamStates();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var ms = new Tensor[states.Length];
            var vs = new Tensor[states.Length];
            for (int i = 0; i < states.Length; i++)
            {
                ms[i] = states[i].exp_avg;
                vs[i] = states[i].exp_avg_sq;
            }

            _parameters.Flatten(ms, m);
            _parameters.Flatten(vs, v);
        }

        if (_parameters.ActorCount > 0)
        {
            actorStep = states[0].step;
        }

        if (states.Length > _parameters.ActorCount)
        {
            criticStep = states[_parameters.ActorCount].step;
        }

        return (actorStep, criticStep, m, v);
    }

    private void WriteMoments(long actorStep, long criticStep, float[] m, float[] v)
    {
        var states = AdamStates();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var ms = states.Select(s => s.exp_avg).ToArray();
            var vs = states.Select(s => s.exp_avg_sq).ToArray();
            _parameters.Unflatten(m, ms);
            _parameters.Unflatten(v, vs);
        }

        for (int i = 0; i < states.Length; i++)
        {
            states[i].step = i < _parameters.ActorCount ? actorStep : criticStep;
        }
    }

    private TorchAdam.State[] AdamStates() =>
        [.. _actor.state_dict().State.Concat(_critic.state_dict().State).Cast<TorchAdam.State>()];

    private TorchParameter[] Select(PolicyParameterGroups groups)
    {
        CheckGroups(groups);
        return groups switch
        {
            PolicyParameterGroups.Actor => _actorParameters,
            PolicyParameterGroups.Critic => _criticParameters,
            PolicyParameterGroups.All => [.. _actorParameters, .. _criticParameters],
            _ => [],
        };
    }

    private static void CheckGroups(PolicyParameterGroups groups)
    {
        if ((groups & ~PolicyParameterGroups.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "groups must be a combination of Actor and Critic.");
        }
    }

    private void CheckLength(int actual, string name)
    {
        if (actual != ParameterCount)
        {
            throw new ArgumentException($"{name} has length {actual} but the policy has {ParameterCount} parameters.", name);
        }
    }
}
