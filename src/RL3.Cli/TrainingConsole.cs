using System.Diagnostics;
using System.Globalization;
using RL3.Core.Training;
using Spectre.Console;

namespace RL3.Cli;

/// <summary>
/// Shows training progress: a live Spectre.Console progress bar (iteration, return, KL, steps/s, ETA) when stdout is
/// an interactive terminal, plain log lines otherwise (redirected output, CI, tests).
/// </summary>
internal sealed class TrainingConsole(TextWriter output, bool live)
{
    public TextWriter Output { get; } = output;

    public bool Live { get; } = live;

    /// <summary>Appended to every progress line (the cluster's workers and time split under <c>rl3 train --cluster</c>); null for nothing.</summary>
    public Func<string>? Detail { get; set; }

    /// <summary>Live output only for the real console attached to a terminal (not redirected, not CI, not TERM=dumb).</summary>
    public static TrainingConsole For(TextWriter output)
    {
        bool live = ReferenceEquals(output, Console.Out)
            && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
            && AnsiConsole.Profile.Capabilities.Interactive;
        return new TrainingConsole(output, live);
    }

    public void Line(string text) => Output.WriteLine(text);

    /// <summary>Runs <paramref name="body"/> with a progress sink for iterations <paramref name="start"/>…<paramref name="total"/>.</summary>
    public T Track<T>(string label, int start, int total, Func<IProgress<TrainingProgress>, T> body)
    {
        if (!Live)
        {
            return body(new PlainProgress(Output, label, start, total, Detail));
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"{label}: starting"), maxValue: Math.Max(1, total));
                task.Value = start;
                result = body(new LiveProgress(task, Detail));
            });
        return result;
    }

    internal static string Describe(TrainingProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"it {p.Iteration}/{p.TotalIterations} return {p.ReturnMean:0.000} KL {p.ApproxKl:0.0000} {p.StepsPerSecond:#,0} steps/s");

    internal static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}") : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");

    private sealed class LiveProgress(ProgressTask task, Func<string>? detail) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            // The run's name is on the line above; the live line stays narrow enough for an 80-column terminal
            // (a cluster run's detail makes it wider).
            task.Description = Markup.Escape(Describe(value) + detail?.Invoke());
            task.Value = value.Iteration;
        }
    }

    private sealed class PlainProgress : IProgress<TrainingProgress>
    {
        private readonly TextWriter _output;
        private readonly string _label;
        private readonly int _start;
        private readonly int _every;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Func<string>? _detail;

        public PlainProgress(TextWriter output, string label, int start, int total, Func<string>? detail)
        {
            _detail = detail;
            _output = output;
            _label = label;
            _start = start;
            _every = Math.Max(1, (total - start) / 30);
        }

        public void Report(TrainingProgress value)
        {
            int done = value.Iteration - _start;
            if (done % _every != 0 && value.Iteration < value.TotalIterations && done != 1)
            {
                return;
            }

            var eta = done > 0 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (value.TotalIterations - value.Iteration)) : TimeSpan.Zero;
            _output.WriteLine($"[{_label}] {Describe(value)}  ETA {FormatDuration(eta)}{_detail?.Invoke()}");
            _output.Flush();
        }
    }
}
