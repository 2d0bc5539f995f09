using RL3.Core.Policies;
using RL3.Core.Training;
using RL3.Core.Training.Shards;
using static RL3.Core.Tests.Training.Shards.ShardTestRun;

namespace RL3.Core.Tests.Training.Shards;

/// <summary>
/// <see cref="ShardWorker"/>: the shards' partial gradients add up to the whole minibatch's gradient (checked against
/// the plain single-minibatch computation), and every result is a pure function of its request (what rebuilding a
/// lost shard on another worker relies on).
/// </summary>
public sealed class ShardWorkerTests
{
    [TestCase(2, false)]
    [TestCase(3, false)]
    [TestCase(3, true)]
    public void PartialGradients_SumToTheWholeMinibatchGradient(int shards, bool transformer)
    {
        // N = 18, M = 12: two minibatches per epoch, the second holding 6 sequences (an uneven last minibatch).
        var spec = Spec();
        var options = Options(shards, slots: 18, minibatch: 12);
        using var replica = Policy(spec, 100, transformer);
        using var reference = Policy(spec, 7, transformer);
        float[] parameters = Parameters(reference, options);
        using var worker = new ShardWorker(replica, spec, options);
        var layout = worker.Layout;
        var rollouts = Enumerable.Range(0, shards).Select(s => worker.CollectRollout(FirstRolloutRequest(layout, options, s, parameters))).ToArray();

        const int epoch = 2;
        const double entropyCoefficient = 0.05;
        for (int minibatch = 0; minibatch < layout.MinibatchCount; minibatch++)
        {
            var advantages = ShardMoments.Combine(rollouts.Select(r => r.MinibatchAdvantages[(epoch * layout.MinibatchCount) + minibatch]).ToArray());
            var results = Enumerable.Range(0, shards).Select(s => worker.ComputeGradient(new ShardGradientRequest
            {
                Iteration = 0, Shard = s, Epoch = epoch, Minibatch = minibatch, Parameters = parameters,
                AdvantageMean = advantages.Mean, AdvantageInverseStd = PpoLoss.AdvantageInverseStd(advantages),
                ActorActive = true, EntropyCoefficient = entropyCoefficient,
            })).Select(r => (Gradients: (float[])r.Gradients.Clone(), r.Loss)).ToArray();
            var sum = new float[parameters.Length];
            foreach (var result in results)
            {
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += result.Gradients[i];
                }
            }

            // The reference: the minibatch's sequences (every shard's part, from the worker's rollouts and
            // permutations) through the single-process computation, one evaluation and one backward pass.
            var (expected, stats, mean, std) = WholeMinibatch(worker, reference, options, epoch, minibatch, entropyCoefficient);
            Assert.That(advantages.Mean, Is.EqualTo(mean).Within(1e-9));
            Assert.That(Math.Sqrt(advantages.Variance), Is.EqualTo(std).Within(1e-9));
            double scale = expected.Max(Math.Abs);
            Assert.That(scale, Is.GreaterThan(1e-4), "the reference gradient is not trivially zero");
            for (int i = 0; i < sum.Length; i++)
            {
                Assert.That(sum[i], Is.EqualTo(expected[i]).Within(2e-5 * scale), $"gradient element {i} of minibatch {minibatch}");
            }

            int tokens = results.Sum(r => r.Loss.Tokens);
            Assert.That(-results.Sum(r => r.Loss.PolicySum) / tokens, Is.EqualTo(stats.PolicyLoss).Within(1e-6));
            Assert.That(results.Sum(r => r.Loss.ValueSum) / tokens, Is.EqualTo(stats.ValueLoss).Within(1e-6));
            Assert.That(results.Sum(r => r.Loss.EntropySum) / tokens, Is.EqualTo(stats.Entropy).Within(1e-6));
            Assert.That(results.Sum(r => r.Loss.ApproxKlSum) / tokens, Is.EqualTo(stats.ApproxKl).Within(1e-9));
            Assert.That((double)results.Sum(r => r.Loss.ClippedCount) / tokens, Is.EqualTo(stats.ClipFraction));
        }
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void ShardResults_ArePureFunctionsOfTheRequest_AFreshWorkerGivesTheSameBits(KlEarlyStop rule)
    {
        var spec = Spec();
        var options = Options(3, rule: rule);
        using var learner = Policy(spec, 7);
        float[] parameters = Parameters(learner, options);
        float[] later = parameters.Select((p, i) => p + (1e-3f * ((i % 7) - 3))).ToArray(); // weights after some steps
        var layout = new ShardLayout(15, 6, 3);
        var gradientRequest = new ShardGradientRequest
        {
            Iteration = 0, Shard = 1, Epoch = 2, Minibatch = 1, Parameters = later,
            AdvantageMean = 0.1, AdvantageInverseStd = 2.0, ActorActive = true, EntropyCoefficient = 0.05,
        };

        // Worker A computes every shard, and shard 1 last; worker B, on a fresh replica, only shard 1.
        using var replicaA = Policy(spec, 100);
        using var workerA = new ShardWorker(replicaA, spec, options);
        ShardRolloutResult rolloutA = null!;
        foreach (int s in new[] { 1, 0, 2 })
        {
            var result = workerA.CollectRollout(FirstRolloutRequest(layout, options, s, parameters));
            rolloutA = s == 1 ? result : rolloutA;
        }

        workerA.ComputeGradient(With(gradientRequest, shard: 0));
        var gradientA = workerA.ComputeGradient(gradientRequest);
        float[] gradientsA = (float[])gradientA.Gradients.Clone();
        double? klA = rule == KlEarlyStop.ExactFullBatch ? workerA.ComputeKl(new ShardKlRequest { Iteration = 0, Shard = 1, Parameters = later }).KlSum : null;

        using var replicaB = Policy(spec, 200);
        using var workerB = new ShardWorker(replicaB, spec, options);
        var rolloutB = workerB.CollectRollout(FirstRolloutRequest(layout, options, 1, parameters));
        var gradientB = workerB.ComputeGradient(gradientRequest);

        Assert.That(rolloutB.SlotRandomStates, Is.EqualTo(rolloutA.SlotRandomStates));
        Assert.That(rolloutB.ActingRandomState, Is.EqualTo(rolloutA.ActingRandomState));
        Assert.That(rolloutB.ShuffleRandomState, Is.EqualTo(rolloutA.ShuffleRandomState));
        Assert.That(rolloutB.EpisodeReturns, Is.EqualTo(rolloutA.EpisodeReturns));
        Assert.That(rolloutB.CriticResiduals, Is.EqualTo(rolloutA.CriticResiduals));
        Assert.That(rolloutB.MinibatchAdvantages, Is.EqualTo(rolloutA.MinibatchAdvantages));
        Assert.That(gradientB.Gradients, Is.EqualTo(gradientsA));
        Assert.That(gradientB.Loss, Is.EqualTo(gradientA.Loss));
        if (klA is { } kl)
        {
            Assert.That(workerB.ComputeKl(new ShardKlRequest { Iteration = 0, Shard = 1, Parameters = later }).KlSum, Is.EqualTo(kl));
        }

        // Collecting the same shard again on worker A (after other work) gives the same bits too.
        Assert.That(workerA.CollectRollout(FirstRolloutRequest(layout, options, 1, parameters)).MinibatchAdvantages, Is.EqualTo(rolloutA.MinibatchAdvantages));
        Assert.That(workerA.ComputeGradient(gradientRequest).Gradients, Is.EqualTo(gradientsA));
    }

    [Test]
    public void ComputeGradient_WithoutTheShardsRollout_ThrowsRolloutMissing()
    {
        var spec = Spec();
        var options = Options(3);
        using var replica = Policy(spec, 100);
        using var worker = new ShardWorker(replica, spec, options);
        float[] parameters = Parameters(replica, options);
        var request = new ShardGradientRequest { Iteration = 0, Shard = 2, Epoch = 0, Minibatch = 0, Parameters = parameters, AdvantageInverseStd = 1, ActorActive = true };

        var missing = Assert.Throws<ShardRolloutMissingException>(() => worker.ComputeGradient(request));
        Assert.That((missing!.Shard, missing.Iteration), Is.EqualTo((2, 0)));

        worker.CollectRollout(FirstRolloutRequest(worker.Layout, options, 2, parameters));
        Assert.That(worker.HeldIteration(2), Is.EqualTo(0));
        Assert.That(() => worker.ComputeGradient(request), Throws.Nothing);
        var stale = Assert.Throws<ShardRolloutMissingException>(() => worker.ComputeGradient(With(request, iteration: 1)));
        Assert.That(stale!.Message, Does.Contain("iteration 0, not of iteration 1"));
    }

    [Test]
    public void CollectRollout_RequestForAnotherRun_ThrowsNamingTheField()
    {
        var spec = Spec();
        var options = Options(3);
        using var replica = Policy(spec, 100);
        using var worker = new ShardWorker(replica, spec, options);
        var request = FirstRolloutRequest(worker.Layout, options, 0, Parameters(replica, options));

        Assert.That(() => worker.CollectRollout(With(request, shardCount: 1)), Throws.ArgumentException.With.Message.Contains("request.ShardCount"));
        Assert.That(() => worker.CollectRollout(With(request, shard: 3)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("request.Shard"));
        Assert.That(() => worker.CollectRollout(With(request, parameters: new float[3])), Throws.ArgumentException.With.Message.Contains("request.Parameters"));
        Assert.That(() => worker.CollectRollout(With(request, slots: new ulong[4 * 5])), Throws.ArgumentException.With.Message.Contains("all-zero"));
        Assert.That(worker.HeldIteration(0), Is.EqualTo(-1));
    }

    private static ShardGradientRequest With(ShardGradientRequest r, int? shard = null, int? iteration = null) => new()
    {
        Iteration = iteration ?? r.Iteration, Shard = shard ?? r.Shard, Epoch = r.Epoch, Minibatch = r.Minibatch, Parameters = r.Parameters,
        AdvantageMean = r.AdvantageMean, AdvantageInverseStd = r.AdvantageInverseStd, ActorActive = r.ActorActive, EntropyCoefficient = r.EntropyCoefficient,
    };

    private static ShardRolloutRequest With(ShardRolloutRequest r, int? shard = null, int? shardCount = null, float[]? parameters = null, ulong[]? slots = null) => new()
    {
        Iteration = r.Iteration, Shard = shard ?? r.Shard, ShardCount = shardCount ?? r.ShardCount, TaskPosition = r.TaskPosition,
        Parameters = parameters ?? r.Parameters, SlotRandomStates = slots ?? r.SlotRandomStates,
        ActingRandomState = r.ActingRandomState, ShuffleRandomState = r.ShuffleRandomState,
    };

    /// <summary>The single-process computation of one minibatch made of every shard's part, in shard order.</summary>
    private static (float[] Gradient, PpoLossStatistics Stats, double Mean, double Std) WholeMinibatch(
        ShardWorker worker, IMetaPolicy policy, PpoOptions options, int epoch, int minibatch, double entropyCoefficient)
    {
        var layout = worker.Layout;
        int h = H, obs = policy.ObservationSize;
        int perShard = layout.ShardSequencesIn(minibatch), m = perShard * layout.ShardCount, tokens = m * h;
        var observations = new float[tokens * obs];
        var actions = new int[tokens];
        var oldLog = new float[tokens];
        var advantages = new float[tokens];
        var returns = new float[tokens];
        int j = 0;
        for (int s = 0; s < layout.ShardCount; s++)
        {
            var buffer = worker.RolloutOf(s);
            var permutation = worker.PermutationOf(s, epoch);
            for (int k = 0; k < perShard; k++, j++)
            {
                int sequence = permutation[layout.ShardOffsetOf(minibatch) + k];
                buffer.Observations.AsSpan(sequence * (h + 1) * obs, h * obs).CopyTo(observations.AsSpan(j * h * obs));
                buffer.Actions.AsSpan(sequence * h, h).CopyTo(actions.AsSpan(j * h));
                buffer.LogProbabilities.AsSpan(sequence * h, h).CopyTo(oldLog.AsSpan(j * h));
                buffer.Advantages.AsSpan(sequence * h, h).CopyTo(advantages.AsSpan(j * h));
                buffer.Returns.AsSpan(sequence * h, h).CopyTo(returns.AsSpan(j * h));
            }
        }

        double mean = advantages.Average(a => (double)a);
        double std = Math.Sqrt(advantages.Average(a => (a - mean) * (a - mean)));
        PpoLoss.NormalizeAdvantages(advantages);
        var logProbabilities = new float[tokens];
        var entropies = new float[tokens];
        var values = new float[tokens];
        var gradLog = new float[tokens];
        var gradEntropy = new float[tokens];
        var gradValue = new float[tokens];
        policy.EvaluateSequences(observations, actions, m, h, logProbabilities, entropies, values);
        var stats = PpoLoss.Compute(logProbabilities, oldLog, advantages, entropies, values, returns, options.ClipEpsilon, options.ValueLossCoefficient,
            entropyCoefficient, actorActive: true, gradLog, gradEntropy, gradValue);
        using var optimizer = policy.CreateOptimizer(PpoTrainer.OptimizerSettings(options));
        optimizer.ZeroGrad();
        policy.BackwardSequences(gradLog, gradEntropy, gradValue);
        var gradient = new float[optimizer.ParameterCount];
        optimizer.CopyGradientsTo(gradient);
        return (gradient, stats, mean, std);
    }
}
