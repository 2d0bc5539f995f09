using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class PpoOptionsTests
{
    [Test]
    public void Defaults_AreThePapers()
    {
        var o = new PpoOptions();
        Assert.That(o.GaeLambda, Is.EqualTo(0.3));
        Assert.That(o.Gamma, Is.EqualTo(0.99));
        Assert.That(o.ClipEpsilon, Is.EqualTo(0.2));
        Assert.That(o.TargetKl, Is.EqualTo(0.01));
        Assert.That(o.Epochs, Is.EqualTo(8));
        Assert.That(o.AdamEpsilon, Is.EqualTo(1e-7));
        Assert.That(o.CriticWeightDecay, Is.EqualTo(0.01));
        Assert.That(o.LearningRate, Is.EqualTo(3e-4));
        Assert.That(o.MaxGradientNorm, Is.Null);
        Assert.That(o.EnvironmentCount(100), Is.EqualTo(320));
        Assert.DoesNotThrow(o.Validate);
    }

    [Test]
    public void EntropyCoefficient_DecaysLinearly()
    {
        var o = new PpoOptions { Iterations = 10, EntropyCoefficient = 0.1 };
        Assert.That(o.EntropyCoefficientAt(0), Is.EqualTo(0.1));
        Assert.That(o.EntropyCoefficientAt(5), Is.EqualTo(0.05).Within(1e-12));
        o.DecayEntropyCoefficient = false;
        Assert.That(o.EntropyCoefficientAt(5), Is.EqualTo(0.1));
    }

    private static readonly object[] BadOptions =
    [
        new object[] { (Action<PpoOptions>)(o => o.BatchSteps = 1001), "BatchSteps" },
        new object[] { (Action<PpoOptions>)(o => o.MinibatchSequences = 1000), "MinibatchSequences" },
        new object[] { (Action<PpoOptions>)(o => o.ClipEpsilon = 0), "ClipEpsilon" },
        new object[] { (Action<PpoOptions>)(o => o.GaeLambda = 1.1), "GaeLambda" },
        new object[] { (Action<PpoOptions>)(o => o.Gamma = double.NaN), "Gamma" },
        new object[] { (Action<PpoOptions>)(o => o.LearningRate = 0), "LearningRate" },
        new object[] { (Action<PpoOptions>)(o => o.AdamBeta2 = 1), "AdamBeta2" },
        new object[] { (Action<PpoOptions>)(o => o.EntropyCoefficient = -1), "EntropyCoefficient" },
        new object[] { (Action<PpoOptions>)(o => o.MaxGradientNorm = 0), "MaxGradientNorm" },
        new object[] { (Action<PpoOptions>)(o => o.TargetKl = 0), "TargetKl" },
        new object[] { (Action<PpoOptions>)(o => o.MaxDegreeOfParallelism = 0), "MaxDegreeOfParallelism" },
    ];

    [TestCaseSource(nameof(BadOptions))]
    public void Validate_OutOfRange_NamesTheOption(Action<PpoOptions> mutate, string name)
    {
        var o = new PpoOptions();
        mutate(o);
        var ex = Assert.Catch<ArgumentException>(() => o.Validate(interactionBudget: 100));
        Assert.That(ex!.ParamName, Is.EqualTo(name));
        Assert.That(ex.Message, Does.Contain(name));
    }

    [Test]
    public void Validate_InteractionBudgetBelowOne_NamesIt()
    {
        var ex = Assert.Catch<ArgumentException>(() => new PpoOptions().Validate(interactionBudget: 0));
        Assert.That(ex!.ParamName, Is.EqualTo("interactionBudget"));
        Assert.That(ex.Message, Does.Contain("interactionBudget"));
    }
}
