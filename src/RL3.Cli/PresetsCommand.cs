using System.CommandLine;
using System.Globalization;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary><c>rl3 presets [NAME] [--set key=value]…</c>: lists the training presets, or prints one as JSON.</summary>
internal sealed class PresetsCommand : Command
{
    private readonly Argument<string?> _name = new("NAME") { Description = "a preset to print as JSON (with the --set overrides applied)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _preset = CliOptions.Text("--preset", "NAME", "the same as the NAME argument");
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _settings = CliOptions.Settings("a preset override, repeatable (needs NAME)");

    public PresetsCommand(TextWriter output)
        : base("presets", "list the training presets, or print one as JSON")
    {
        Add(_name);
        Add(_preset);
        Add(_settings);
        SetAction(result => Run(result.GetValue(_name) ?? result.GetValue(_preset), result.GetValue(_settings) ?? [], output));
    }

    private static int Run(string? name, IReadOnlyList<KeyValuePair<string, string>> settings, TextWriter output)
    {
        if (name is not null)
        {
            var preset = Presets.Get(name);
            Presets.Apply(preset, settings);
            output.WriteLine(preset.ToJson());
            return 0;
        }

        if (settings.Count > 0)
        {
            throw new CliException("--set needs a preset: rl3 presets NAME --set key=value");
        }

        output.WriteLine($"{"name",-26} {"task",-14} {"algorithm",-12} {"policy",-11} {"H",4} {"batch",7} {"iters",6}  description");
        foreach (string n in PresetCatalog.Names)
        {
            var p = PresetCatalog.Get(n);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n,-26} {p.Task,-14} {TrainingRun.AlgorithmLabel(p.Algorithm),-12} {p.Policy.Kind.ToString().ToLowerInvariant(),-11} {p.InteractionBudget,4} {p.Ppo.BatchSteps,7} {p.Ppo.Iterations,6}  {p.Description}"));
        }

        return 0;
    }
}
