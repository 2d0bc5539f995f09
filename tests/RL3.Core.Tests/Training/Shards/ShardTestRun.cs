using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;
using RL3.Core.Training.Shards;

namespace RL3.Core.Tests.Training.Shards;

/// <summary>A small run for the shard tests: bandits K5, RL³, H = 10, small GRU or transformer policies.</summary>
internal static class ShardTestRun
{
    public const int H = 10;

    public static MetaEnvironmentSpec Spec() => MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);

    public static IMetaPolicy Policy(MetaEnvironmentSpec spec, ulong seed, bool transformer = false)
    {
        var shape = new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount, H + 1);
        return transformer
            ? new TransformerPolicy(shape, new TransformerPolicyOptions { EmbeddingHiddenSize = 32, ModelDim = 16, Heads = 2, Layers = 1, FeedForwardDim = 32, Seed = seed })
            : new GruPolicy(shape, new GruPolicyOptions { EmbeddingSize = 16, HiddenSize = 24, Seed = seed });
    }

    public static PpoOptions Options(int shards, int slots = 15, int minibatch = 6, KlEarlyStop rule = KlEarlyStop.MinibatchEstimates, int threads = 1) => new()
    {
        BatchSteps = slots * H,
        MinibatchSequences = minibatch,
        Epochs = 3,
        Iterations = 5,
        Seed = 11,
        MaxDegreeOfParallelism = threads,
        LearningRate = 3e-3,
        MaxGradientNorm = 0.5,
        KlEarlyStop = rule,
        Shards = shards,
    };

    public static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    public static float[] Parameters(IMetaPolicy policy, PpoOptions options)
    {
        using var optimizer = policy.CreateOptimizer(PpoTrainer.OptimizerSettings(options));
        var parameters = new float[optimizer.ParameterCount];
        optimizer.CopyParametersTo(parameters);
        return parameters;
    }

    /// <summary>Shard s's rollout request of iteration 0 as the learner builds it.</summary>
    public static ShardRolloutRequest FirstRolloutRequest(ShardLayout layout, PpoOptions options, int shard, float[] parameters)
    {
        var slots = new ulong[4 * layout.SlotsPerShard];
        for (int i = 0; i < layout.SlotsPerShard; i++)
        {
            var state = ShardLayout.InitialSlotState(options.Seed, layout.FirstSlot(shard) + i);
            (slots[4 * i], slots[(4 * i) + 1], slots[(4 * i) + 2], slots[(4 * i) + 3]) = (state.S0, state.S1, state.S2, state.S3);
        }

        var acting = ShardLayout.InitialActingState(options.Seed, shard);
        var shuffle = ShardLayout.InitialShuffleState(options.Seed, shard);
        return new ShardRolloutRequest
        {
            Iteration = 0,
            Shard = shard,
            ShardCount = layout.ShardCount,
            TaskPosition = 0,
            Parameters = parameters,
            SlotRandomStates = slots,
            ActingRandomState = [acting.S0, acting.S1, acting.S2, acting.S3],
            ShuffleRandomState = [shuffle.S0, shuffle.S1, shuffle.S2, shuffle.S3],
        };
    }
}
