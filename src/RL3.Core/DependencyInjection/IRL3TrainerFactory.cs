using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Builds ready-to-run meta-training pieces from the bound, validated options: the meta-environment of
/// <see cref="RL3Options.TaskDistribution"/> and <see cref="RL3Options.Algorithm"/>, a policy sized to it, a <see cref="PpoTrainer"/>,
/// and an evaluation of a trained policy with the bound <see cref="EvaluationOptions"/>.
/// </summary>
/// <remarks>
/// Resolving the factory reads every options value, so invalid settings throw <c>OptionsValidationException</c> at once, with or
/// without a host. Everything it does is a few public constructors: see <c>docs/getting-started.md</c> for the plain-API equivalent.
/// </remarks>
public interface IRL3TrainerFactory
{
    /// <summary>Gets a copy of the top-level options the factory was built with.</summary>
    RL3Options Options { get; }

    /// <summary>Creates the meta-environment specification (task family, H, value scale, inner estimator and state indexer).</summary>
    /// <returns>A new specification.</returns>
    MetaEnvironmentSpec CreateEnvironment();

    /// <summary>Creates a new policy sized to <paramref name="environment"/>; the caller disposes it.</summary>
    /// <param name="environment">The environment the policy acts in.</param>
    /// <returns>A new policy.</returns>
    IMetaPolicy CreatePolicy(MetaEnvironmentSpec environment);

    /// <summary>
    /// Creates a trainer for <paramref name="policy"/> in <paramref name="environment"/> with the bound <see cref="PpoOptions"/>.
    /// The trainer does not own the policy: dispose both.
    /// </summary>
    /// <param name="policy">The policy to train.</param>
    /// <param name="environment">The environment to train in.</param>
    /// <returns>A new trainer.</returns>
    PpoTrainer CreateTrainer(IMetaPolicy policy, MetaEnvironmentSpec environment);

    /// <summary>
    /// Creates a trainer with a new environment (<see cref="CreateEnvironment"/>) and a new policy (<see cref="CreatePolicy"/>).
    /// The trainer does not own the policy: dispose <see cref="PpoTrainer.Policy"/> too.
    /// </summary>
    /// <returns>A new trainer.</returns>
    PpoTrainer CreateTrainer();

    /// <summary>
    /// Evaluates <paramref name="policy"/> on the bound <see cref="EvaluationOptions"/> (task count, seed, parallelism) with
    /// <see cref="PolicyEvaluator"/>, on the same held-out tasks as <see cref="MetaEvaluator"/> with that seed.
    /// </summary>
    /// <param name="policy">The trained policy.</param>
    /// <param name="environment">The environment it was trained in.</param>
    /// <param name="selection">Greedy (the default) or sampled actions.</param>
    /// <returns>The mean return over the evaluation tasks, with its standard error.</returns>
    MethodResult Evaluate(IMetaPolicy policy, MetaEnvironmentSpec environment, ActionSelection selection = ActionSelection.Greedy);
}
