using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;

namespace RL3.Core.Training;

/// <summary>
/// The run specification: a complete, editable description of one meta-training run as data (JSON): the task
/// distribution, the interaction budget H (stored here only), RL² or an RL³ variant, the inner estimator
/// (<see cref="Inner"/>), the policy architecture, every PPO option and the evaluation protocol.
/// </summary>
/// <remarks>
/// Built-in presets live in <see cref="PresetCatalog"/>. Edit a preset in code, in JSON, or with dotted keys
/// (<see cref="Set"/>, e.g. <c>ppo.learningRate=1e-3</c>, <c>policy.kind=gru</c>, <c>inner.gamma=0.99</c>).
/// <see cref="CreateEnvironment"/> composes through <see cref="MetaEnvironmentSpec.ForAlgorithm"/>, where the task
/// family's defaults fill every inner field left unset. JSON written before H moved to the top level
/// (<c>ppo.interactionBudget</c>) still loads, and so does JSON written when the policy options still carried the shape
/// (<c>observationSize</c>, <c>actionCount</c>, <c>contextLength</c> under <c>policy.transformer</c>, <c>policy.gru</c>,
/// <c>policy.mlp</c>): those keys are ignored, the shape comes from the run's environment.
/// </remarks>
public sealed class TrainingPreset
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The preset's name.</summary>
    public string Name { get; set; } = "custom";

    /// <summary>What the preset reproduces or is for.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>The task distribution's catalog name (see <see cref="TaskCatalog"/>). Default <c>bandits-k5</c>.</summary>
    public string Task { get; set; } = TaskCatalog.BanditsK5;

    /// <summary>The interaction budget H: steps per meta-episode (≥ 1). Default 100. The only place a run stores H.</summary>
    public int InteractionBudget { get; set; } = 100;

    /// <summary>RL², RL³, RL³-coarse or RL³ with Q-learning. Default RL³.</summary>
    public MetaAlgorithm Algorithm { get; set; } = MetaAlgorithm.Rl3;

    /// <summary>The inner estimator (RL³ only): estimator, γ, λ, ε, sweeps, warm start, indexer; unset fields take the family's defaults.</summary>
    public InnerEstimatorOptions Inner { get; set; } = new();

    /// <summary>The policy architecture and its options.</summary>
    public PolicyPreset Policy { get; set; } = new();

    /// <summary>PPO options (<see cref="PpoOptions.BatchSteps"/> must be a multiple of <see cref="InteractionBudget"/>).</summary>
    public PpoOptions Ppo { get; set; } = new();

    /// <summary>Evaluation on held-out tasks.</summary>
    public EvaluationPreset Evaluation { get; set; } = new();

    /// <summary>The number of parallel meta-environments N = <see cref="PpoOptions.BatchSteps"/> / H.</summary>
    public int EnvironmentCount => Ppo.EnvironmentCount(Math.Max(1, InteractionBudget));

    /// <summary>Reads a preset from JSON (camelCase keys, enum names as strings; unknown keys are errors).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The preset (not yet validated).</returns>
    /// <exception cref="FormatException">The JSON is malformed or has unknown keys.</exception>
    public static TrainingPreset FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (node is JsonObject root)
            {
                MoveLegacyInteractionBudget(root);
                DropLegacyPolicyShapeKeys(root);
            }

            return node.Deserialize<TrainingPreset>(Json) ?? throw new FormatException("The preset JSON is null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid preset JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the preset as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public TrainingPreset Clone() => FromJson(ToJson());

    /// <summary>
    /// Sets one value by dotted key (case-insensitive), e.g. <c>ppo.learningRate</c>, <c>policy.gru.hiddenSize</c>,
    /// <c>algorithm</c>. The value is parsed as JSON when it can be (numbers, true/false, null), otherwise taken as a string.
    /// </summary>
    /// <param name="key">The dotted key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key does not exist or the value does not fit it; the preset is unchanged.</exception>
    public void Set(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var root = JsonNode.Parse(ToJson())!.AsObject();
        string[] parts = key.Split('.');
        JsonObject current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            var match = current.FirstOrDefault(p => string.Equals(p.Key, parts[i], StringComparison.OrdinalIgnoreCase));
            if (match.Key is null)
            {
                throw new ArgumentException($"Unknown preset key '{key}': '{parts[i]}' is not one of {string.Join(", ", current.Select(p => p.Key))}.", nameof(key));
            }

            if (i == parts.Length - 1)
            {
                if (match.Value is JsonObject)
                {
                    throw new ArgumentException($"Preset key '{key}' is a section; set one of its fields ({string.Join(", ", match.Value.AsObject().Select(p => $"{key}.{p.Key}"))}).", nameof(key));
                }

                current[match.Key] = ParseValue(value);
                break;
            }

            current = match.Value as JsonObject ?? throw new ArgumentException($"Preset key '{key}': '{match.Key}' is a value, not a section.", nameof(key));
        }

        TrainingPreset updated;
        try
        {
            updated = JsonSerializer.Deserialize<TrainingPreset>(root, Json)!;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Value '{value}' does not fit preset key '{key}': {ex.Message}", nameof(value), ex);
        }

        Name = updated.Name;
        Description = updated.Description;
        Task = updated.Task;
        InteractionBudget = updated.InteractionBudget;
        Algorithm = updated.Algorithm;
        Inner = updated.Inner;
        Policy = updated.Policy;
        Ppo = updated.Ppo;
        Evaluation = updated.Evaluation;
    }

    /// <summary>
    /// Checks the whole preset; messages name the field (<c>ClipEpsilon</c>, <c>Gamma</c>), the value given and the allowed range.
    /// </summary>
    /// <exception cref="ArgumentException">Something is out of range or inconsistent.</exception>
    public void Validate()
    {
        if (!TaskCatalog.TryGet(Task, out _))
        {
            throw new ArgumentException($"task '{Task}' is not a built-in task distribution; known: {string.Join(", ", TaskCatalog.Names)}.", nameof(Task));
        }

        if (!Enum.IsDefined(Algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, $"algorithm must be rl2, rl3, rl3Coarse or rl3QLearning; got {Algorithm}.");
        }

        if (InteractionBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InteractionBudget), InteractionBudget, $"interactionBudget (H) must be in [1, int.MaxValue]; got {InteractionBudget}.");
        }

        Ppo.Validate(InteractionBudget);
        Inner.Validate();
        Evaluation.Validate();
        var spec = CreateEnvironment();
        using var policy = CreatePolicy(spec);
    }

    /// <summary>Builds the meta-environment recipe: this preset's family, algorithm, H and inner section (<see cref="MetaEnvironmentSpec.ForAlgorithm"/>).</summary>
    /// <returns>The recipe.</returns>
    public MetaEnvironmentSpec CreateEnvironment()
    {
        if (!TaskCatalog.TryGet(Task, out var entry))
        {
            throw new ArgumentException($"task '{Task}' is not a built-in task distribution; known: {string.Join(", ", TaskCatalog.Names)}.", nameof(Task));
        }

        return MetaEnvironmentSpec.ForAlgorithm(entry.CreateDistribution(), Algorithm, InteractionBudget, Inner);
    }

    /// <summary>Builds the policy for <paramref name="environment"/> (<see cref="PolicyPreset.CreatePolicy"/> with the environment's shape).</summary>
    /// <param name="environment">The meta-environment recipe.</param>
    /// <returns>A new, freshly initialised policy.</returns>
    public IMetaPolicy CreatePolicy(MetaEnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Policy.CreatePolicy(PolicyShape.ForInteractionBudget(environment.ObservationSize, environment.Distribution.ActionCount, environment.InteractionBudget));
    }

    /// <summary>The value of a dotted key as text (for printing), or null when absent.</summary>
    /// <param name="key">The dotted key.</param>
    /// <returns>The value.</returns>
    public string? Get(string key)
    {
        JsonNode? node = JsonNode.Parse(ToJson());
        foreach (string part in key.Split('.'))
        {
            node = (node as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, part, StringComparison.OrdinalIgnoreCase)).Value;
            if (node is null)
            {
                return null;
            }
        }

        return node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString();
    }

    /// <summary>Presets written before H moved to the top level kept it as <c>ppo.interactionBudget</c>: move it up.</summary>
    private static void MoveLegacyInteractionBudget(JsonObject root)
    {
        var ppo = root.FirstOrDefault(p => string.Equals(p.Key, "ppo", StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        var legacy = ppo?.FirstOrDefault(p => string.Equals(p.Key, "interactionBudget", StringComparison.OrdinalIgnoreCase));
        if (ppo is null || legacy?.Key is not { } legacyKey)
        {
            return;
        }

        var value = ppo[legacyKey];
        ppo.Remove(legacyKey);
        var top = root.FirstOrDefault(p => string.Equals(p.Key, "interactionBudget", StringComparison.OrdinalIgnoreCase));
        if (top.Key is null)
        {
            root["interactionBudget"] = value;
        }
        else if (!JsonNode.DeepEquals(top.Value, value))
        {
            throw new FormatException($"Invalid preset JSON: ppo.interactionBudget ({value?.ToJsonString()}) and interactionBudget ({top.Value?.ToJsonString()}) differ; H is stored once, as the top-level interactionBudget.");
        }
    }

    /// <summary>
    /// Presets written before the shape left the policy options kept <c>observationSize</c>, <c>actionCount</c> and
    /// <c>contextLength</c> in each policy section: drop them (the shape always came from the environment).
    /// </summary>
    private static void DropLegacyPolicyShapeKeys(JsonObject root)
    {
        if (root.FirstOrDefault(p => string.Equals(p.Key, "policy", StringComparison.OrdinalIgnoreCase)).Value is not JsonObject policy)
        {
            return;
        }

        foreach (var section in policy.Select(p => p.Value).OfType<JsonObject>())
        {
            foreach (string key in section.Select(p => p.Key).Where(IsLegacyShapeKey).ToList())
            {
                section.Remove(key);
            }
        }
    }

    private static bool IsLegacyShapeKey(string key) =>
        string.Equals(key, "observationSize", StringComparison.OrdinalIgnoreCase)
        || string.Equals(key, "actionCount", StringComparison.OrdinalIgnoreCase)
        || string.Equals(key, "contextLength", StringComparison.OrdinalIgnoreCase);

    private static JsonNode? ParseValue(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return JsonValue.Create(value);
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || trimmed is "true" or "false" or "null"
            || trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                // Not JSON after all: a plain string.
            }
        }

        return JsonValue.Create(value);
    }
}
