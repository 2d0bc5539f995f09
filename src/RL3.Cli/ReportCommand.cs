using System.CommandLine;
using System.Globalization;
using RL3.Cli.Reports;

namespace RL3.Cli;

/// <summary><c>rl3 report DIR</c>: re-renders DIR/report.html from the files a train, evaluate or compare run wrote.</summary>
internal sealed class ReportCommand : Command
{
    private readonly Argument<string?> _dir = new("DIR") { Description = "a run directory of rl3 train, evaluate or compare", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _out = CliOptions.Text("--out", "DIR", "the same as the DIR argument");

    public ReportCommand(TextWriter output)
        : base("report", "re-render DIR/report.html from its evaluation.json and metrics.csv")
    {
        Add(_dir);
        Add(_out);
        SetAction(result => Run(result.GetValue(_dir) ?? result.GetValue(_out), output));
    }

    private static int Run(string? dir, TextWriter output)
    {
        if (dir is null)
        {
            throw new CliException("report needs a run directory: rl3 report DIR");
        }

        var target = new RunDirectory(dir);
        if (!File.Exists(target.Evaluation))
        {
            throw new CliException($"no {RunDirectory.EvaluationFile} in '{target.Path}' (write one with rl3 train, evaluate or compare)");
        }

        using var targetLock = RunLock.Acquire(target, "report");
        EvaluationDocument document;
        try
        {
            document = EvaluationDocument.Load(target.Evaluation);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new CliException($"'{target.Evaluation}' is not a valid evaluation file: {Presets.FirstSentence(ex.Message)}");
        }

        var model = new ReportModel { Title = $"rl3 {document.Command}: {document.Preset}", Evaluation = document };
        var runs = new[] { target.Path }.Concat(Directory.GetDirectories(target.Path).Order(StringComparer.Ordinal)).Select(d => new RunDirectory(d)).Where(r => File.Exists(r.Preset) && File.Exists(r.Metrics));
        foreach (var run in runs)
        {
            var preset = Presets.Load(run.Preset);
            string name = document.Sets.SelectMany(s => s.Methods).Any(m => m.Name == preset.Name) ? preset.Name : TrainingRun.AlgorithmLabel(preset.Algorithm);
            model.Facts.Add(new(name, string.Create(CultureInfo.InvariantCulture, $"preset {preset.Name} ({preset.Task}, H = {preset.InteractionBudget}, {preset.Policy.Kind.ToString().ToLowerInvariant()} policy) → {run.Path}")));
            model.Runs.Add(TrainingCurve.Read(name, run.Metrics, preset.EnvironmentCount));
        }

        HtmlReport.Write(model, target.Report);
        output.WriteLine($"wrote {target.Report}");
        return 0;
    }
}
