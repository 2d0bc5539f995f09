using RL3.Core.Meta;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// The top-level choices of a meta-training run composed by dependency injection: which task family, which meta-algorithm
/// (RL² or an RL³ variant) and which policy network. Bound from the <see cref="SectionName"/> configuration section.
/// </summary>
/// <remarks>
/// The interaction budget H is <see cref="InteractionBudget"/> (the only place); the other numbers live in the engines' own
/// options, each bound from a sub-section of <see cref="SectionName"/>: <see cref="PpoOptions"/> (<see cref="PpoSection"/>),
/// <see cref="InnerEstimatorOptions"/> (<see cref="InnerSection"/>), the policy options (<see cref="GruPolicySection"/>,
/// <see cref="TransformerPolicySection"/>, <see cref="MlpPolicySection"/>) and <c>EvaluationOptions</c> (<see cref="EvaluationSection"/>).
/// These are the sections of a <see cref="TrainingPreset"/> (the run specification), and <c>UsePreset</c> applies one.
/// </remarks>
public sealed class RL3Options
{
    /// <summary>The configuration section the RL3 options are bound from by convention: <c>"RL3"</c>.</summary>
    public const string SectionName = "RL3";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <see cref="PpoOptions"/>.</summary>
    public const string PpoSection = "Ppo";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <see cref="InnerEstimatorOptions"/> (the run's inner section).</summary>
    public const string InnerSection = "Inner";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <c>GruPolicyOptions</c>.</summary>
    public const string GruPolicySection = "GruPolicy";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <c>TransformerPolicyOptions</c>.</summary>
    public const string TransformerPolicySection = "TransformerPolicy";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <c>MlpPolicyOptions</c>.</summary>
    public const string MlpPolicySection = "MlpPolicy";

    /// <summary>Sub-section of <see cref="SectionName"/> bound to <c>EvaluationOptions</c>.</summary>
    public const string EvaluationSection = "Evaluation";

    /// <summary>
    /// Gets or sets the name of the task distribution to train on: a <see cref="TaskCatalog"/> name or one registered with
    /// <c>AddTaskDistribution</c>. Case-insensitive.
    /// </summary>
    /// <value>Default <see cref="TaskCatalog.BanditsK5"/> (<c>"bandits-k5"</c>).</value>
    public string TaskDistribution { get; set; } = TaskCatalog.BanditsK5;

    /// <summary>Gets or sets the interaction budget H: steps per meta-episode, for training and evaluation alike.</summary>
    /// <value>Default 100; at least 1.</value>
    public int InteractionBudget { get; set; } = 100;

    /// <summary>Gets or sets the meta-algorithm: RL² (no inner estimator) or one of the RL³ variants.</summary>
    /// <value>Default <see cref="MetaAlgorithm.Rl3"/>.</value>
    public MetaAlgorithm Algorithm { get; set; } = MetaAlgorithm.Rl3;

    /// <summary>Gets or sets which built-in policy network is created (ignored when a policy factory is registered with <c>AddPolicy</c>).</summary>
    /// <value>Default <see cref="PolicyKind.Gru"/>.</value>
    public PolicyKind Policy { get; set; } = PolicyKind.Gru;

    /// <summary>
    /// Gets or sets the engine of the built-in policy: <c>inhouse</c> (default) or <c>torchsharp</c> (needs the
    /// <c>RL3.Core.TorchSharp</c> package, whose <c>UseTorchSharp()</c> sets this, and a libtorch package). See <see cref="PolicyPreset.Backend"/>.
    /// </summary>
    /// <value>Default <see cref="PolicyBackends.InHouse"/>.</value>
    public string PolicyBackend { get; set; } = PolicyBackends.InHouse;

    /// <summary>Gets or sets the device of a <c>torchsharp</c> policy: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="PolicyPreset.Device"/>).</summary>
    /// <value>Default <c>cpu</c>.</value>
    public string PolicyDevice { get; set; } = "cpu";

    /// <summary>Gets or sets libtorch's process-wide thread count for a <c>torchsharp</c> policy, or null to leave it (see <see cref="PolicyPreset.ThreadCount"/>).</summary>
    /// <value>Default null.</value>
    public int? PolicyThreadCount { get; set; }
}
