using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RL3.Core.Randomness;

namespace RL3.Core.Training;

public sealed partial class PpoTrainer
{
    private const string MetaSection = "meta.json";
    private const string PolicySection = "policy";
    private const string OptimizerSection = "optimizer";
    private const string CheckpointFormat = "rl3-ppo-checkpoint";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// Writes everything needed to continue this run bit-for-bit: policy weights, the policy optimiser's state, the options,
    /// the iteration and step counters, every random stream's state and the task sampler's position. The file is
    /// written atomically (temporary file + rename), so an existing checkpoint at <paramref name="path"/> is replaced
    /// only by a complete one. Call between iterations (for example from a callback).
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    public void SaveCheckpoint(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var meta = new JsonObject
        {
            ["format"] = CheckpointFormat,
            ["iteration"] = _iteration,
            ["totalSteps"] = _totalSteps,
            ["distribution"] = _spec.Distribution.Name,
            ["algorithm"] = _spec.Name,
            ["observationSize"] = _obs,
            ["slots"] = _n,
            ["interactionBudget"] = _h,
            ["options"] = JsonSerializer.SerializeToNode(_options, JsonOptions),
            ["samplerPosition"] = _taskPosition,
            ["actRandom"] = StateToJson(_actingStates[0]),
            ["shuffleRandom"] = StateToJson(_shuffleStates[0]),
            ["slotRandom"] = new JsonArray(_slotStates.Select(s => (JsonNode)StateToJson(s)).ToArray()),
        };
        if (_layout.ShardCount > 1)
        {
            // Every shard's acting and shuffling stream (shard 0's also under the single-process keys above).
            meta["shardActRandom"] = new JsonArray(_actingStates.Select(s => (JsonNode)StateToJson(s)).ToArray());
            meta["shardShuffleRandom"] = new JsonArray(_shuffleStates.Select(s => (JsonNode)StateToJson(s)).ToArray());
        }

        using var policy = new MemoryStream();
        _policy.Save(policy);
        using var optimizer = new MemoryStream();
        _optimizer.SaveState(optimizer);

        CheckpointFile.Save(path,
        [
            new(MetaSection, Encoding.UTF8.GetBytes(meta.ToJsonString(JsonOptions))),
            new(PolicySection, policy.ToArray()),
            new(OptimizerSection, optimizer.ToArray()),
        ]);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> of a trainer built with the same policy shape,
    /// environment and options (<see cref="PpoOptions.Iterations"/> and <see cref="PpoOptions.MaxDegreeOfParallelism"/>
    /// may differ). Everything is verified before anything changes: a truncated, corrupted or mismatched file throws
    /// and leaves the trainer as it was.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint, or it does not match this trainer.</exception>
    public void LoadCheckpoint(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var sections = CheckpointFile.Load(path);
        foreach (string name in new[] { MetaSection, PolicySection, OptimizerSection })
        {
            if (!sections.ContainsKey(name))
            {
                throw new InvalidDataException($"Checkpoint '{path}' has no '{name}' section.");
            }
        }

        JsonObject meta;
        try
        {
            meta = JsonNode.Parse(sections[MetaSection])?.AsObject() ?? throw new InvalidDataException("empty metadata");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has unreadable metadata: {ex.Message}", ex);
        }

        if ((string?)meta["format"] != CheckpointFormat)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is not a PPO trainer checkpoint.");
        }

        var saved = meta["options"].Deserialize<PpoOptions>(JsonOptions) ?? throw new InvalidDataException($"Checkpoint '{path}' has no options.");
        string mismatch = OptionsMismatch(saved, _options);
        if (mismatch.Length > 0)
        {
            throw new InvalidDataException($"Checkpoint '{path}' was written with different options ({mismatch}); build the trainer with the checkpoint's options.");
        }

        // H sits in the metadata; checkpoints written before it left PpoOptions carry it in the options.
        int? savedH = (int?)meta["interactionBudget"] ?? (int?)meta["options"]?["InteractionBudget"];
        if (savedH is { } h && h != _h)
        {
            throw new InvalidDataException($"Checkpoint '{path}' was written with interaction budget H = {h}; this trainer's environment has H = {_h}.");
        }

        if ((int?)meta["slots"] != _n || (int?)meta["observationSize"] != _obs || (string?)meta["distribution"] != _spec.Distribution.Name || (string?)meta["algorithm"] != _spec.Name)
        {
            throw new InvalidDataException($"Checkpoint '{path}' belongs to another setup ({meta["algorithm"]} on {meta["distribution"]}, observation size {meta["observationSize"]}, {meta["slots"]} slots); this trainer runs {_spec.Name} on {_spec.Distribution.Name}, observation size {_obs}, {_n} slots.");
        }

        int iteration = (int?)meta["iteration"] ?? throw new InvalidDataException("missing iteration");
        long totalSteps = (long?)meta["totalSteps"] ?? throw new InvalidDataException("missing totalSteps");
        long samplerPosition = (long?)meta["samplerPosition"] ?? throw new InvalidDataException("missing samplerPosition");
        var act = StateFromJson(meta["actRandom"], path);
        var shuffle = StateFromJson(meta["shuffleRandom"], path);
        var slotArray = meta["slotRandom"]?.AsArray() ?? throw new InvalidDataException($"Checkpoint '{path}' has no slot random states.");
        var slots = slotArray.Select(n => StateFromJson(n, path)).ToArray();
        if (slots.Length != _n)
        {
            throw new InvalidDataException($"Checkpoint '{path}' holds {slots.Length} slot streams; this trainer has {_n} slots.");
        }

        if (samplerPosition < 0)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has a negative task sampler position ({samplerPosition}).");
        }

        var acting = new[] { act };
        var shuffles = new[] { shuffle };
        if (_layout.ShardCount > 1)
        {
            acting = ShardStates(meta, "shardActRandom", path);
            shuffles = ShardStates(meta, "shardShuffleRandom", path);
        }

        // Snapshot the current state so that a failure while applying leaves the trainer unchanged. The optimiser
        // section is the policy optimiser's own state; the in-house optimiser reads the sections of earlier
        // checkpoints (two Adam states under "actor." and "critic.") as they are.
        using var policyBackup = new MemoryStream();
        _policy.Save(policyBackup);
        using var optimizerBackup = new MemoryStream();
        _optimizer.SaveState(optimizerBackup);
        try
        {
            using (var policy = new MemoryStream(sections[PolicySection], writable: false))
            {
                _policy.Load(policy);
            }

            using var optimizer = new MemoryStream(sections[OptimizerSection], writable: false);
            _optimizer.LoadState(optimizer);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or KeyNotFoundException or EndOfStreamException)
        {
            policyBackup.Position = 0;
            _policy.Load(policyBackup);
            optimizerBackup.Position = 0;
            _optimizer.LoadState(optimizerBackup);
            throw new InvalidDataException($"Checkpoint '{path}' does not fit this trainer's policy or optimiser: {ex.Message}", ex);
        }

        acting.CopyTo(_actingStates, 0);
        shuffles.CopyTo(_shuffleStates, 0);
        slots.CopyTo(_slotStates, 0);
        _taskPosition = samplerPosition;
        _iteration = iteration;
        _totalSteps = totalSteps;
    }

    private RandomSourceState[] ShardStates(JsonObject meta, string key, string path)
    {
        var array = meta[key] as JsonArray ?? throw new InvalidDataException($"Checkpoint '{path}' has no '{key}' (one random state per shard).");
        var states = array.Select(n => StateFromJson(n, path)).ToArray();
        if (states.Length != _layout.ShardCount)
        {
            throw new InvalidDataException($"Checkpoint '{path}' holds {states.Length} '{key}' states; this trainer has {_layout.ShardCount} shards.");
        }

        return states;
    }

    private static string OptionsMismatch(PpoOptions saved, PpoOptions current)
    {
        var a = JsonSerializer.SerializeToNode(saved, JsonOptions)!.AsObject();
        var b = JsonSerializer.SerializeToNode(current, JsonOptions)!.AsObject();
        var differences = new List<string>();
        foreach (var (key, value) in a)
        {
            if (key is nameof(PpoOptions.Iterations) or nameof(PpoOptions.MaxDegreeOfParallelism))
            {
                continue;
            }

            string left = value?.ToJsonString() ?? "null";
            string right = b[key]?.ToJsonString() ?? "null";
            if (left != right)
            {
                differences.Add($"{key}: checkpoint {left}, trainer {right}");
            }
        }

        return string.Join("; ", differences);
    }

    private static JsonArray StateToJson(RandomSourceState s) =>
        new(JsonValue.Create(s.S0.ToString(System.Globalization.CultureInfo.InvariantCulture)), JsonValue.Create(s.S1.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            JsonValue.Create(s.S2.ToString(System.Globalization.CultureInfo.InvariantCulture)), JsonValue.Create(s.S3.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static RandomSourceState StateFromJson(JsonNode? node, string path)
    {
        if (node is not JsonArray array || array.Count != 4)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has a malformed random state.");
        }

        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
        {
            if (!ulong.TryParse((string?)array[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out words[i]))
            {
                throw new InvalidDataException($"Checkpoint '{path}' has a malformed random state.");
            }
        }

        var state = new RandomSourceState(words[0], words[1], words[2], words[3]);
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has an all-zero random state.");
        }

        return state;
    }
}
