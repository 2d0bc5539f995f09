using System.Diagnostics;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;
using TorchSharp;

namespace RL3.Core.TorchSharp.Tests;

/// <summary>The unchanged <see cref="PpoTrainer"/> trains a TorchSharp policy: determinism, checkpoints, native memory.</summary>
public sealed class TorchTrainingTests
{
    private const int H = 10;

    private static MetaEnvironmentSpec Spec() => MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);

    private static TorchGruPolicy Policy(MetaEnvironmentSpec spec, ulong seed = 7) => new(
        new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount),
        new GruPolicyOptions { EmbeddingSize = 16, HiddenSize = 24, Seed = seed },
        new TorchSharpOptions { ThreadCount = 1 });

    private static PpoOptions Options(KlEarlyStop rule = KlEarlyStop.MinibatchEstimates) => new()
    {
        BatchSteps = 8 * H,
        MinibatchSequences = 3,
        Epochs = 3,
        Iterations = 5,
        Seed = 11,
        KlEarlyStop = rule,
    };

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    [TestCase(KlEarlyStop.MinibatchEstimates)]
    [TestCase(KlEarlyStop.ExactFullBatch)]
    public void Train_SameSeedSameThreads_SameWeightsAndTheWeightsChange(KlEarlyStop rule)
    {
        var spec = Spec();
        byte[] Run(out byte[] initial)
        {
            using var policy = Policy(spec);
            initial = Weights(policy);
            using var trainer = new PpoTrainer(policy, spec, Options(rule));
            var summary = trainer.Train(iterations: 2);
            Assert.That(double.IsFinite(summary.LastIteration!.ReturnMean), Is.True);
            return Weights(policy);
        }

        byte[] first = Run(out byte[] initial);
        Assert.That(first, Is.Not.EqualTo(initial));
        Assert.That(Run(out _), Is.EqualTo(first));
    }

    [Test]
    public void Checkpoint_ResumedRunEqualsUninterruptedRun_BitForBit()
    {
        var spec = Spec();
        string path = Path.Combine(Path.GetTempPath(), $"rl3-torch-ckpt-{Environment.ProcessId}-{Environment.TickCount64}.bin");
        try
        {
            byte[] uninterrupted;
            double lastReturn;
            using (var policy = Policy(spec))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                lastReturn = trainer.Train(iterations: 3).LastIteration!.ReturnMean;
                uninterrupted = Weights(policy);
            }

            using (var policy = Policy(spec))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.Train(iterations: 1);
                trainer.SaveCheckpoint(path);
            }

            using (var policy = Policy(spec, seed: 999))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.LoadCheckpoint(path);
                Assert.That(trainer.Iteration, Is.EqualTo(1));
                var resumed = trainer.Train(iterations: 2).LastIteration!;
                Assert.That(Weights(policy), Is.EqualTo(uninterrupted));
                Assert.That(resumed.ReturnMean, Is.EqualTo(lastReturn));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Checkpoint_WrittenByTheInHouseEngine_ResumesOnTorchSharp()
    {
        var spec = Spec();
        string path = Path.Combine(Path.GetTempPath(), $"rl3-cross-ckpt-{Environment.ProcessId}-{Environment.TickCount64}.bin");
        try
        {
            var shape = new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount);
            var options = new GruPolicyOptions { EmbeddingSize = 16, HiddenSize = 24, Seed = 7 };
            byte[] inHouseWeights;
            using (var policy = new GruPolicy(shape, options))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.Train(iterations: 2);
                trainer.SaveCheckpoint(path);
                inHouseWeights = Weights(policy);
            }

            using (var policy = Policy(spec, seed: 999))
            using (var trainer = new PpoTrainer(policy, spec, Options()))
            {
                trainer.LoadCheckpoint(path);
                Assert.That(Weights(policy), Is.EqualTo(inHouseWeights));
                var next = trainer.Train(iterations: 1).LastIteration!;
                Assert.That(trainer.Iteration, Is.EqualTo(3));
                Assert.That(double.IsFinite(next.ReturnMean), Is.True);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Train_ManyIterations_LiveTensorsAndNativeMemoryStayFlat()
    {
        var spec = Spec();
        using var policy = Policy(spec);
        using var trainer = new PpoTrainer(policy, spec, Options());
        trainer.Train(iterations: 10);
        long tensorsBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = ResidentBytes();
        trainer.Train(iterations: 50);
        long tensorsAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssAfter = ResidentBytes();
        TestContext.Out.WriteLine($"live tensors {tensorsBefore} → {tensorsAfter}; resident memory {rssBefore / 1048576.0:F1} MB → {rssAfter / 1048576.0:F1} MB over 50 iterations");
        Assert.That(tensorsAfter, Is.EqualTo(tensorsBefore), "every tensor of an iteration is disposed");
        Assert.That(rssAfter - rssBefore, Is.LessThan(16L << 20), "resident memory grows by less than 16 MB over 50 iterations");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
