using Microsoft.Extensions.Options;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>Builds the policy kind named by <see cref="RL3Options.Policy"/>, sized to the environment.</summary>
internal sealed class DefaultMetaPolicyFactory : IMetaPolicyFactory
{
    private readonly PolicyKind _kind;
    private readonly GruPolicyOptions _gru;
    private readonly TransformerPolicyOptions _transformer;
    private readonly MlpPolicyOptions _mlp;

    public DefaultMetaPolicyFactory(
        IOptions<RL3Options> options,
        IOptions<GruPolicyOptions> gru,
        IOptions<TransformerPolicyOptions> transformer,
        IOptions<MlpPolicyOptions> mlp)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gru);
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlp);
        _kind = options.Value.Policy;
        _gru = gru.Value.Clone();
        _transformer = transformer.Value.Clone();
        _mlp = mlp.Value.Clone();
    }

    public IMetaPolicy Create(PolicyContext context)
    {
        switch (_kind)
        {
            case PolicyKind.Gru:
                var gru = _gru.Clone();
                gru.ObservationSize = context.ObservationSize;
                gru.ActionCount = context.ActionCount;
                return new GruPolicy(gru);
            case PolicyKind.Transformer:
                var transformer = _transformer.Clone();
                transformer.ObservationSize = context.ObservationSize;
                transformer.ActionCount = context.ActionCount;
                transformer.ContextLength = context.InteractionBudget + 1;
                return new TransformerPolicy(transformer);
            case PolicyKind.Mlp:
                var mlp = _mlp.Clone();
                mlp.ObservationSize = context.ObservationSize;
                mlp.ActionCount = context.ActionCount;
                return new MlpPolicy(mlp);
            default:
                throw new InvalidOperationException($"RL3Options.Policy must be Gru, Transformer or Mlp but is {_kind}.");
        }
    }
}
