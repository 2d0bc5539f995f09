using Microsoft.Extensions.Options;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>Builds the policy kind named by <see cref="RL3Options.Policy"/> on <see cref="RL3Options.PolicyBackend"/> with the bound options, through <see cref="PolicyPreset.CreatePolicy"/>.</summary>
internal sealed class DefaultMetaPolicyFactory : IMetaPolicyFactory
{
    private readonly PolicyPreset _policy;

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
        _policy = new PolicyPreset
        {
            Kind = options.Value.Policy,
            Backend = options.Value.PolicyBackend,
            Device = options.Value.PolicyDevice,
            ThreadCount = options.Value.PolicyThreadCount,
            Gru = gru.Value.Clone(),
            Transformer = transformer.Value.Clone(),
            Mlp = mlp.Value.Clone(),
        };
    }

    public IMetaPolicy Create(PolicyContext context) => _policy.CreatePolicy(context.Shape);
}
