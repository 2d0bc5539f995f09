using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

/// <summary>
/// A checkpoint written by the library before the policy owned its optimiser (commit 4a0ad7a: GRU policy, bandits K5,
/// RL³, H = 10, one iteration done) still loads, and training resumes from it bit-for-bit.
/// </summary>
public sealed class CheckpointCompatibilityTests
{
    private const int H = 10;

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Training", "Fixtures", name);

    private static MetaEnvironmentSpec Spec() =>
        MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(TaskCatalog.BanditsK5), MetaAlgorithm.Rl3, H);

    private static GruPolicy Policy(MetaEnvironmentSpec spec, ulong seed) => new(new PolicyShape(spec.ObservationSize, spec.Distribution.ActionCount), new GruPolicyOptions
    {
        EmbeddingSize = 16,
        HiddenSize = 24,
        Seed = seed,
    });

    private static PpoOptions Options() => new()
    {
        BatchSteps = 8 * H,
        MinibatchSequences = 3,
        Epochs = 3,
        Iterations = 5,
        Seed = 11,
        MaxDegreeOfParallelism = 1,
    };

    private static byte[] Weights(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    [Test]
    public void LoadCheckpoint_PreviousFormat_ResumesBitForBit()
    {
        var spec = Spec();
        using var policy = Policy(spec, seed: 999); // other initial weights: the checkpoint must restore them
        using var trainer = new PpoTrainer(policy, spec, Options());
        trainer.LoadCheckpoint(Fixture("ppo-checkpoint-v1.rl3ckpt"));
        Assert.That(trainer.Iteration, Is.EqualTo(1));
        Assert.That(trainer.TotalSteps, Is.EqualTo(8 * H));

        trainer.Train(iterations: 2);

        // The weights the old code reached after the same three iterations without interruption.
        Assert.That(Weights(policy), Is.EqualTo(File.ReadAllBytes(Fixture("gru-weights-after-3-iterations.bin"))));
    }

    [Test]
    public void LoadCheckpoint_PreviousFormat_EqualsUninterruptedRunOfThisBuild()
    {
        var spec = Spec();
        byte[] uninterrupted;
        using (var policy = Policy(spec, seed: 7))
        using (var trainer = new PpoTrainer(policy, spec, Options()))
        {
            trainer.Train(iterations: 3);
            uninterrupted = Weights(policy);
        }

        using (var policy = Policy(spec, seed: 999))
        using (var trainer = new PpoTrainer(policy, spec, Options()))
        {
            trainer.LoadCheckpoint(Fixture("ppo-checkpoint-v1.rl3ckpt"));
            trainer.Train(iterations: 2);
            Assert.That(Weights(policy), Is.EqualTo(uninterrupted));
        }
    }
}
