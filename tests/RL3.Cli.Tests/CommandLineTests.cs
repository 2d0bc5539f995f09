using RL3.Core.Policies;

namespace RL3.Cli.Tests;

public sealed class CommandLineTests
{
    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase) { "ood", "resume" };

    [Test]
    public void Parse_NoArguments_IsHelp() => Assert.That(CommandLine.Parse([], Flags).Verb, Is.EqualTo("help"));

    [Test]
    public void Parse_OptionsFlagsSettingsAndPositionals_AreSeparated()
    {
        var line = CommandLine.Parse(["Train", "--preset", "p", "--out=dir", "--resume", "--set", "ppo.seed=3", "--set", "policy.kind = gru", "extra"], Flags);
        Assert.Multiple(() =>
        {
            Assert.That(line.Verb, Is.EqualTo("train"));
            Assert.That(line.String("preset"), Is.EqualTo("p"));
            Assert.That(line.String("out"), Is.EqualTo("dir"));
            Assert.That(line.Flag("resume"), Is.True);
            Assert.That(line.Flag("ood"), Is.False);
            Assert.That(line.Settings, Is.EqualTo(new[] { new KeyValuePair<string, string>("ppo.seed", "3"), new KeyValuePair<string, string>("policy.kind", "gru") }));
            Assert.That(line.Positional(0), Is.EqualTo("extra"));
        });
    }

    [Test]
    public void Int_OutOfRange_ThrowsWithRange()
    {
        var line = CommandLine.Parse(["compare", "--tasks", "0"], Flags);
        var ex = Assert.Throws<CliException>(() => line.Int("tasks", 1000, 1, 100));
        Assert.That(ex!.Message, Is.EqualTo("--tasks must be an integer in [1, 100], got '0'"));
    }

    [TestCase(new[] { "train", "--out" }, "option --out needs a value")]
    [TestCase(new[] { "train", "--out", "a", "--out", "b" }, "option --out given twice")]
    [TestCase(new[] { "train", "--set", "novalue" }, "--set expects key=value, got 'novalue'")]
    public void Parse_Malformed_Throws(string[] args, string message)
    {
        var ex = Assert.Throws<CliException>(() => CommandLine.Parse(args, Flags));
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void RejectUnknown_UnreadOptionOrPositionalOrSet_Throws()
    {
        Assert.That(Assert.Throws<CliException>(() => CommandLine.Parse(["tasks", "--bogus", "1"], Flags).RejectUnknown())!.Message, Does.Contain("unknown option --bogus"));
        Assert.That(Assert.Throws<CliException>(() => CommandLine.Parse(["tasks", "stray"], Flags).RejectUnknown())!.Message, Does.Contain("unexpected argument 'stray'"));
        Assert.That(Assert.Throws<CliException>(() => CommandLine.Parse(["tasks", "--set", "a=b"], Flags).RejectUnknown())!.Message, Does.Contain("takes no --set"));
    }

    [Test]
    public void CoresLabel_NamesTheCoresTheRunUses()
    {
        int all = Environment.ProcessorCount;
        string every = all == 1 ? "1 core" : $"{all} cores";
        Assert.Multiple(() =>
        {
            Assert.That(TrainingRun.CoresLabel(-1), Is.EqualTo(every));
            Assert.That(TrainingRun.CoresLabel(all + 5), Is.EqualTo(every));
            Assert.That(TrainingRun.CoresLabel(1), Is.EqualTo(all == 1 ? every : $"1 of {all} cores"));
        });
    }

    [TestCase("greedy", ActionSelection.Greedy)]
    [TestCase("Sample", ActionSelection.Sample)]
    [TestCase(" stochastic ", ActionSelection.Sample)]
    public void ParseSelection_AcceptsNamesAndAlias(string text, ActionSelection expected)
    {
        Assert.That(EvaluateCommand.ParseSelection(text), Is.EqualTo(expected));
        Assert.That(EvaluateCommand.ParseSelection(EvaluateCommand.SelectionName(expected)), Is.EqualTo(expected));
    }
}
