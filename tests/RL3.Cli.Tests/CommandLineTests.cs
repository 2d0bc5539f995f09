using RL3.Core.Policies;

namespace RL3.Cli.Tests;

/// <summary>The command line as System.CommandLine parses it for <c>rl3</c>: typed values, one-line errors.</summary>
public sealed class CommandLineTests
{
    [Test]
    public void Parse_NoArguments_IsHelp()
    {
        var (code, output, _) = CliRunner.Run();
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Usage:").And.Contain("compare").And.Contain("evaluate"));
        Assert.That(output, Is.EqualTo(CliRunner.Run("help").Output));
    }

    [Test]
    public void Parse_OptionsFlagsSettingsAndPositionals_AreSeparated()
    {
        var root = CliApplication.Create(TextWriter.Null, CancellationToken.None);
        var line = CliApplication.Parse(root, ["Train", "--preset", "p", "--out=dir", "--resume", "--set", "ppo.seed=3", "--set", "policy.kind = gru"]);
        var presets = CliApplication.Parse(root, ["presets", "extra"]);
        Assert.Multiple(() =>
        {
            Assert.That(line.Errors, Is.Empty);
            Assert.That(line.CommandResult.Command.Name, Is.EqualTo("train"));
            Assert.That(line.GetValue<string?>("--preset"), Is.EqualTo("p"));
            Assert.That(line.GetValue<string?>("--out"), Is.EqualTo("dir"));
            Assert.That(line.GetValue<bool>("--resume"), Is.True);
            Assert.That(line.GetValue<IReadOnlyList<KeyValuePair<string, string>>>("--set"), Is.EqualTo(new[] { new KeyValuePair<string, string>("ppo.seed", "3"), new KeyValuePair<string, string>("policy.kind", "gru") }));
            Assert.That(presets.GetValue<string?>("NAME"), Is.EqualTo("extra"));
        });
    }

    [Test]
    public void Int_OutOfRange_ThrowsWithRange()
    {
        var (code, _, error) = CliRunner.Run("compare", "--tasks", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.TrimEnd(), Is.EqualTo("rl3: --tasks must be an integer in [1, 10000000], got '0'"));
    }

    [TestCase(new[] { "train", "--out" }, "option --out needs a value")]
    [TestCase(new[] { "train", "--out", "a", "--out", "b" }, "option --out given twice")]
    [TestCase(new[] { "train", "--set", "novalue" }, "--set expects key=value, got 'novalue'")]
    [TestCase(new[] { "evaluate", "--seed", "-1" }, "--seed must be a non-negative integer, got '-1'")]
    public void Parse_Malformed_Throws(string[] args, string message)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.TrimEnd(), Is.EqualTo("rl3: " + message));
    }

    [Test]
    public void RejectUnknown_UnreadOptionOrPositionalOrSet_Throws()
    {
        Assert.That(CliRunner.Run("tasks", "--bogus", "1").Error, Does.Contain("unknown option --bogus"));
        Assert.That(CliRunner.Run("tasks", "stray").Error, Does.Contain("unexpected argument 'stray'"));
        Assert.That(CliRunner.Run("tasks", "--set", "a=b").Error, Does.Contain("takes no --set"));
    }

    [Test]
    public void Help_EveryVerb_PrintsItsGeneratedOptions()
    {
        var (code, output, _) = CliRunner.Run("help", "train");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("--preset <NAME>").And.Contain("--stop-after <N>").And.Contain("--resume"));
        Assert.That(CliRunner.Run("evaluate", "--help").Output, Does.Contain("--selection <greedy|sample>").And.Contain("--ood"));
        Assert.That(CliRunner.Run("help", "nope").ExitCode, Is.EqualTo(2));
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
