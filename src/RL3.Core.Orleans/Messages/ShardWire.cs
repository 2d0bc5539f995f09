using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Messages;

// The wire forms of the seam's requests and results (RL3.Core.Training.Shards): plain data of this library only. The
// weights of a call go once per worker (every shard of a call is computed at the same weights); gradients go one per
// shard, so that the learner sums them in shard order exactly as one process does.

/// <summary>Which run a worker computes: an id chosen by the learner and the run specification (TrainingPreset JSON).</summary>
[GenerateSerializer, Immutable]
internal sealed record RunDescription([property: Id(0)] string RunId, [property: Id(1)] string Specification);

/// <summary>Moments of a set of values (<see cref="ShardMoments"/>) on the wire.</summary>
[GenerateSerializer, Immutable]
internal readonly record struct MomentsWire([property: Id(0)] long Count, [property: Id(1)] double Sum, [property: Id(2)] double SquaredDeviations)
{
    public static MomentsWire From(ShardMoments m) => new(m.Count, m.Sum, m.SquaredDeviations);

    public ShardMoments ToMoments() => new(Count, Sum, SquaredDeviations);
}

/// <summary>One shard's part of a rollout call (a <see cref="ShardRolloutRequest"/> less the weights).</summary>
[GenerateSerializer, Immutable]
internal sealed record RolloutPart(
    [property: Id(0)] int Shard,
    [property: Id(1)] int ShardCount,
    [property: Id(2)] long TaskPosition,
    [property: Id(3)] ulong[] SlotRandomStates,
    [property: Id(4)] ulong[] ActingRandomState,
    [property: Id(5)] ulong[] ShuffleRandomState);

/// <summary>The rollout requests of one iteration for the shards of one worker, with the iteration-start weights once.</summary>
[GenerateSerializer, Immutable]
internal sealed record RolloutCall([property: Id(0)] int Iteration, [property: Id(1)] FloatBuffer Parameters, [property: Id(2)] RolloutPart[] Shards);

/// <summary>One shard's <see cref="ShardRolloutResult"/> on the wire.</summary>
[GenerateSerializer, Immutable]
internal sealed record RolloutReply(
    [property: Id(0)] int Iteration,
    [property: Id(1)] int Shard,
    [property: Id(2)] ulong[] SlotRandomStates,
    [property: Id(3)] ulong[] ActingRandomState,
    [property: Id(4)] ulong[] ShuffleRandomState,
    [property: Id(5)] MomentsWire EpisodeReturns,
    [property: Id(6)] MomentsWire CriticTargets,
    [property: Id(7)] MomentsWire CriticResiduals,
    [property: Id(8)] MomentsWire[] MinibatchAdvantages,
    [property: Id(9)] int NonFiniteStep,
    [property: Id(10)] string? NonFiniteInput,
    [property: Id(11)] double Seconds);

/// <summary>One shard's part of a gradient call (a <see cref="ShardGradientRequest"/> less the weights).</summary>
[GenerateSerializer, Immutable]
internal sealed record GradientPart(
    [property: Id(0)] int Shard,
    [property: Id(1)] double AdvantageMean,
    [property: Id(2)] double AdvantageInverseStd,
    [property: Id(3)] bool ActorActive,
    [property: Id(4)] double EntropyCoefficient);

/// <summary>The gradient requests of one minibatch for the shards of one worker, with the current weights once.</summary>
[GenerateSerializer, Immutable]
internal sealed record GradientCall([property: Id(0)] int Iteration, [property: Id(1)] int Epoch, [property: Id(2)] int Minibatch, [property: Id(3)] FloatBuffer Parameters, [property: Id(4)] GradientPart[] Shards);

/// <summary>One shard's <see cref="ShardGradientResult"/> on the wire.</summary>
[GenerateSerializer, Immutable]
internal sealed record GradientReply(
    [property: Id(0)] int Iteration,
    [property: Id(1)] int Shard,
    [property: Id(2)] int Epoch,
    [property: Id(3)] int Minibatch,
    [property: Id(4)] FloatBuffer Gradients,
    [property: Id(5)] int Tokens,
    [property: Id(6)] double PolicySum,
    [property: Id(7)] double ValueSum,
    [property: Id(8)] double EntropySum,
    [property: Id(9)] double ApproxKlSum,
    [property: Id(10)] int ClippedCount,
    [property: Id(11)] double Seconds);

/// <summary>The exact-KL requests of one epoch for the shards of one worker, with the updated weights once.</summary>
[GenerateSerializer, Immutable]
internal sealed record KlCall([property: Id(0)] int Iteration, [property: Id(1)] FloatBuffer Parameters, [property: Id(2)] int[] Shards);

/// <summary>One shard's <see cref="ShardKlResult"/> on the wire.</summary>
[GenerateSerializer, Immutable]
internal sealed record KlReply([property: Id(0)] int Iteration, [property: Id(1)] int Shard, [property: Id(2)] double KlSum, [property: Id(3)] long Steps, [property: Id(4)] double Seconds);

/// <summary>Conversions between the seam's types and their wire forms.</summary>
internal static class ShardWire
{
    public static ShardRolloutRequest ToRequest(int iteration, float[] parameters, RolloutPart part) => new()
    {
        Iteration = iteration,
        Shard = part.Shard,
        ShardCount = part.ShardCount,
        TaskPosition = part.TaskPosition,
        Parameters = parameters,
        SlotRandomStates = part.SlotRandomStates,
        ActingRandomState = part.ActingRandomState,
        ShuffleRandomState = part.ShuffleRandomState,
    };

    public static RolloutPart ToPart(ShardRolloutRequest r) =>
        new(r.Shard, r.ShardCount, r.TaskPosition, r.SlotRandomStates, r.ActingRandomState, r.ShuffleRandomState);

    public static RolloutReply ToReply(ShardRolloutResult r) => new(
        r.Iteration, r.Shard, r.SlotRandomStates, r.ActingRandomState, r.ShuffleRandomState,
        MomentsWire.From(r.EpisodeReturns), MomentsWire.From(r.CriticTargets), MomentsWire.From(r.CriticResiduals),
        [.. r.MinibatchAdvantages.Select(MomentsWire.From)], r.NonFiniteStep, r.NonFiniteInput, r.Seconds);

    public static ShardRolloutResult ToResult(RolloutReply r) => new()
    {
        Iteration = r.Iteration,
        Shard = r.Shard,
        SlotRandomStates = r.SlotRandomStates,
        ActingRandomState = r.ActingRandomState,
        ShuffleRandomState = r.ShuffleRandomState,
        EpisodeReturns = r.EpisodeReturns.ToMoments(),
        CriticTargets = r.CriticTargets.ToMoments(),
        CriticResiduals = r.CriticResiduals.ToMoments(),
        MinibatchAdvantages = [.. r.MinibatchAdvantages.Select(m => m.ToMoments())],
        NonFiniteStep = r.NonFiniteStep,
        NonFiniteInput = r.NonFiniteInput,
        Seconds = r.Seconds,
    };

    public static ShardGradientRequest ToRequest(GradientCall call, float[] parameters, GradientPart part) => new()
    {
        Iteration = call.Iteration,
        Shard = part.Shard,
        Epoch = call.Epoch,
        Minibatch = call.Minibatch,
        Parameters = parameters,
        AdvantageMean = part.AdvantageMean,
        AdvantageInverseStd = part.AdvantageInverseStd,
        ActorActive = part.ActorActive,
        EntropyCoefficient = part.EntropyCoefficient,
    };

    public static GradientPart ToPart(ShardGradientRequest r) => new(r.Shard, r.AdvantageMean, r.AdvantageInverseStd, r.ActorActive, r.EntropyCoefficient);

    public static GradientReply ToReply(ShardGradientResult r) => new(
        r.Iteration, r.Shard, r.Epoch, r.Minibatch, FloatBuffer.CopyOf(r.Gradients),
        r.Loss.Tokens, r.Loss.PolicySum, r.Loss.ValueSum, r.Loss.EntropySum, r.Loss.ApproxKlSum, r.Loss.ClippedCount, r.Seconds);

    public static ShardGradientResult ToResult(GradientReply r) => new()
    {
        Iteration = r.Iteration,
        Shard = r.Shard,
        Epoch = r.Epoch,
        Minibatch = r.Minibatch,
        Gradients = r.Gradients.Values.ToArray(),
        Loss = new ShardLossSums(r.Tokens, r.PolicySum, r.ValueSum, r.EntropySum, r.ApproxKlSum, r.ClippedCount),
        Seconds = r.Seconds,
    };

    public static ShardKlRequest ToRequest(int iteration, float[] parameters, int shard) => new() { Iteration = iteration, Shard = shard, Parameters = parameters };

    public static KlReply ToReply(ShardKlResult r) => new(r.Iteration, r.Shard, r.KlSum, r.Steps, r.Seconds);

    public static ShardKlResult ToResult(KlReply r) => new() { Iteration = r.Iteration, Shard = r.Shard, KlSum = r.KlSum, Steps = r.Steps, Seconds = r.Seconds };
}
