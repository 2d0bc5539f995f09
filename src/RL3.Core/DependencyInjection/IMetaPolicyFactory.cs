using RL3.Core.Policies;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Creates the policy network trained by the PPO trainer. The default builds a <see cref="GruPolicy"/>,
/// <see cref="TransformerPolicy"/> or <see cref="MlpPolicy"/> from <see cref="RL3Options.Policy"/> and the bound policy options;
/// replace it with <c>AddPolicy</c> to train your own <see cref="IMetaPolicy"/>.
/// </summary>
public interface IMetaPolicyFactory
{
    /// <summary>Creates a new policy; the caller owns (and disposes) it.</summary>
    /// <param name="context">The observation size, action count and interaction budget of the environment.</param>
    /// <returns>A policy whose sizes match <paramref name="context"/>.</returns>
    IMetaPolicy Create(PolicyContext context);
}
