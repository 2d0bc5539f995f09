using RL3.Core.Nn;
using RL3.Core.Nn.Optim;
using RL3.Core.Nn.Serialization;

namespace RL3.Core.Policies;

/// <summary>
/// The in-house engine's <see cref="IPolicyOptimizer"/>: one <see cref="Adam"/> for the actor, one for the critic
/// (with coupled weight decay), and <see cref="GradientClipping"/> per group.
/// </summary>
/// <remarks>
/// The state is a <see cref="TensorArchive"/> with the actor's Adam under <c>actor.</c> and the critic's under
/// <c>critic.</c> (<c>actor.step</c>, <c>actor.m.actor.…</c>, <c>actor.v.actor.…</c>, …): the same bytes the trainer
/// wrote into its checkpoints before the policy owned its optimiser, so those checkpoints load unchanged.
/// </remarks>
internal sealed class AdamPolicyOptimizer : IPolicyOptimizer
{
    private const string ActorPrefix = "actor.";
    private const string CriticPrefix = "critic.";

    private readonly Adam _actor;
    private readonly Adam _critic;
    private readonly Parameter[] _actorParameters;
    private readonly Parameter[] _criticParameters;
    private readonly Parameter[] _allParameters;

    public AdamPolicyOptimizer(
        IReadOnlyList<KeyValuePair<string, Parameter>> actorParameters,
        IReadOnlyList<KeyValuePair<string, Parameter>> criticParameters,
        PolicyOptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _actor = new Adam(actorParameters, new AdamOptions
        {
            LearningRate = settings.LearningRate,
            Beta1 = settings.Beta1,
            Beta2 = settings.Beta2,
            Epsilon = settings.Epsilon,
        });
        _critic = new Adam(criticParameters, new AdamOptions
        {
            LearningRate = settings.LearningRate,
            Beta1 = settings.Beta1,
            Beta2 = settings.Beta2,
            Epsilon = settings.Epsilon,
            WeightDecay = settings.CriticWeightDecay,
            WeightDecayMode = WeightDecayMode.CoupledL2,
        });
        _actorParameters = [.. actorParameters.Select(p => p.Value)];
        _criticParameters = [.. criticParameters.Select(p => p.Value)];
        _allParameters = [.. _actorParameters, .. _criticParameters];
        long count = _allParameters.Sum(p => (long)p.Length);
        ParameterCount = checked((int)count);
    }

    public double LearningRate
    {
        get => _actor.LearningRate;
        set
        {
            _actor.LearningRate = value;
            _critic.LearningRate = value;
        }
    }

    public int ParameterCount { get; }

    public void ZeroGrad()
    {
        foreach (var p in _allParameters)
        {
            p.ZeroGrad();
        }
    }

    public double GradientNorm(PolicyParameterGroups groups) => GradientClipping.GlobalNorm(Select(groups));

    public double ClipGradientNorm(PolicyParameterGroups groups, double maxNorm) => GradientClipping.ClipByGlobalNorm(Select(groups), maxNorm);

    public void Step(PolicyParameterGroups groups)
    {
        CheckGroups(groups);
        if ((groups & PolicyParameterGroups.Actor) != 0)
        {
            _actor.Step();
        }

        if ((groups & PolicyParameterGroups.Critic) != 0)
        {
            _critic.Step();
        }
    }

    public void CopyGradientsTo(Span<float> destination) => Gather(destination, gradients: true, nameof(destination));

    public void CopyGradientsFrom(ReadOnlySpan<float> source) => Scatter(source, gradients: true, nameof(source));

    public void CopyParametersTo(Span<float> destination) => Gather(destination, gradients: false, nameof(destination));

    public void CopyParametersFrom(ReadOnlySpan<float> source) => Scatter(source, gradients: false, nameof(source));

    // The flat layout: every parameter of the actor, then every parameter of the critic, each as stored.
    private void Gather(Span<float> destination, bool gradients, string paramName)
    {
        CheckLength(destination.Length, paramName);
        int offset = 0;
        foreach (var p in _allParameters)
        {
            (gradients ? p.Gradient : p.Value).Span.CopyTo(destination.Slice(offset, p.Length));
            offset += p.Length;
        }
    }

    private void Scatter(ReadOnlySpan<float> source, bool gradients, string paramName)
    {
        CheckLength(source.Length, paramName);
        int offset = 0;
        foreach (var p in _allParameters)
        {
            source.Slice(offset, p.Length).CopyTo((gradients ? p.Gradient : p.Value).Span);
            offset += p.Length;
        }
    }

    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = new TensorArchive();
        _actor.SaveState(archive, ActorPrefix);
        _critic.SaveState(archive, CriticPrefix);
        archive.WriteTo(stream);
    }

    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = TensorArchive.ReadFrom(stream);
        var backup = new TensorArchive();
        _actor.SaveState(backup, ActorPrefix);
        _actor.LoadState(archive, ActorPrefix);
        try
        {
            _critic.LoadState(archive, CriticPrefix);
        }
        catch
        {
            _actor.LoadState(backup, ActorPrefix);
            throw;
        }
    }

    public void Dispose()
    {
        _actor.Dispose();
        _critic.Dispose();
    }

    private Parameter[] Select(PolicyParameterGroups groups)
    {
        CheckGroups(groups);
        return groups switch
        {
            PolicyParameterGroups.Actor => _actorParameters,
            PolicyParameterGroups.Critic => _criticParameters,
            PolicyParameterGroups.All => _allParameters,
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
