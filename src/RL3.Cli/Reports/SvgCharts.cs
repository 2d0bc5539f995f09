using System.Globalization;
using System.Net;
using System.Text;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Cli.Reports;

/// <summary>A point of a chart series with its standard error (NaN for none).</summary>
internal readonly record struct ChartPoint(double X, double Y, double StandardError);

/// <summary>A named line of a chart; <see cref="Markers"/> draws dots, <see cref="Dashed"/> a dashed line.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, bool Markers = false, bool Dashed = false);

/// <summary>One bar of a grouped bar chart: value ± half-width of the 95% interval.</summary>
internal readonly record struct ChartBar(string Group, string Series, double Value, double HalfWidth);

/// <summary>Inline SVG charts (no scripts, no external resources), invariant culture throughout.</summary>
internal static class SvgCharts
{
    private static readonly string[] Palette = ["#1f6fd1", "#e8710a", "#2e9d4f", "#c5221f", "#8e44ad", "#7f6a00", "#0f9d9a", "#d81b60", "#5f6368", "#3949ab"];

    public static string Color(int index) => Palette[index % Palette.Length];

    /// <summary>Lines with shaded ± s.e. bands.</summary>
    public static string LineChart(IReadOnlyList<ChartSeries> series, string xLabel, string yLabel, IReadOnlyList<string>? colors = null, int width = 900, int height = 340)
    {
        const double left = 64, top = 16, bottom = 48;
        double right = series.Count >= 2 ? LegendWidth(series.Select(s => s.Name)) + 28 : 16;
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        var sb = new StringBuilder();
        Open(sb, width, height, $"{yLabel} vs {xLabel}");
        if (all.Count == 0)
        {
            sb.Append(Text(width / 2.0, height / 2.0, "no data", "middle"));
            return Close(sb);
        }

        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X);
        double yMin = all.Min(p => Lower(p)), yMax = all.Max(p => Upper(p));
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var yTicks = NiceTicks(yMin, yMax, 6);
        var xTicks = NiceTicks(xMin, xMax, 8);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[^1]);
        double pw = width - left - right, ph = height - top - bottom;
        double X(double x) => left + ((x - xMin) / (xMax - xMin) * pw);
        double Y(double y) => top + ph - ((y - yMin) / (yMax - yMin) * ph);

        Axes(sb, left, top, pw, ph, xTicks.Where(t => t >= xMin && t <= xMax), yTicks, X, Y, xLabel, yLabel);
        for (int s = 0; s < series.Count; s++)
        {
            string color = colors is not null && s < colors.Count ? colors[s] : Color(s);
            var pts = series[s].Points.Where(p => double.IsFinite(p.Y)).ToList();
            if (pts.Count == 0)
            {
                continue;
            }

            if (pts.Any(p => double.IsFinite(p.StandardError) && p.StandardError > 0))
            {
                var band = new StringBuilder();
                foreach (var p in pts)
                {
                    band.Append(F(X(p.X))).Append(',').Append(F(Y(Upper(p)))).Append(' ');
                }

                for (int i = pts.Count - 1; i >= 0; i--)
                {
                    band.Append(F(X(pts[i].X))).Append(',').Append(F(Y(Lower(pts[i])))).Append(' ');
                }

                sb.Append($"<polygon points=\"{band.ToString().TrimEnd()}\" fill=\"{color}\" fill-opacity=\"0.18\" stroke=\"none\"/>");
            }

            string line = string.Join(' ', pts.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));
            string dash = series[s].Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            sb.Append($"<polyline points=\"{line}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>");
            if (series[s].Markers)
            {
                foreach (var p in pts)
                {
                    sb.Append($"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"3.5\" fill=\"{color}\"/>");
                }
            }
        }

        Legend(sb, series.Select(s => s.Name).ToList(), colors, width - right + 12, top);
        return Close(sb);
    }

    /// <summary>Grouped vertical bars with 95% interval whiskers.</summary>
    public static string BarChart(IReadOnlyList<ChartBar> bars, string yLabel, IReadOnlyDictionary<string, string>? colors = null, int width = 900, int height = 340)
    {
        const double left = 64, top = 16, bottom = 64;
        var groups = bars.Select(b => b.Group).Distinct().ToList();
        var names = bars.Select(b => b.Series).Distinct().ToList();
        double right = names.Count >= 2 ? LegendWidth(names) + 28 : 16;
        var sb = new StringBuilder();
        Open(sb, width, height, yLabel);
        if (bars.Count == 0)
        {
            return Close(sb);
        }

        double yMin = Math.Min(0, bars.Min(b => b.Value - b.HalfWidth));
        double yMax = Math.Max(0, bars.Max(b => b.Value + b.HalfWidth));
        var yTicks = NiceTicks(yMin, yMax, 6);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[^1]);
        double pw = width - left - right, ph = height - top - bottom;
        double Y(double y) => top + ph - ((y - yMin) / (yMax - yMin) * ph);
        Axes(sb, left, top, pw, ph, [], yTicks, _ => 0, Y, string.Empty, yLabel);
        double groupWidth = pw / groups.Count;
        double barWidth = Math.Min(36, groupWidth * 0.8 / names.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            double start = left + (g * groupWidth) + ((groupWidth - (barWidth * names.Count)) / 2);
            sb.Append(Text(left + ((g + 0.5) * groupWidth), top + ph + 18, groups[g], "middle"));
            for (int s = 0; s < names.Count; s++)
            {
                var bar = bars.FirstOrDefault(b => b.Group == groups[g] && b.Series == names[s]);
                if (bar.Series is null)
                {
                    continue;
                }

                string color = colors is not null && colors.TryGetValue(names[s], out var c) ? c : Color(s);
                double x = start + (s * barWidth);
                double y0 = Y(0), y1 = Y(bar.Value);
                sb.Append($"<rect x=\"{F(x + 1)}\" y=\"{F(Math.Min(y0, y1))}\" width=\"{F(barWidth - 2)}\" height=\"{F(Math.Abs(y1 - y0))}\" fill=\"{color}\"><title>{Esc(names[s])} on {Esc(groups[g])}: {F(bar.Value, "0.###")} ± {F(bar.HalfWidth, "0.###")}</title></rect>");
                if (bar.HalfWidth > 0)
                {
                    double cx = x + (barWidth / 2);
                    sb.Append($"<path d=\"M{F(cx)},{F(Y(bar.Value - bar.HalfWidth))}V{F(Y(bar.Value + bar.HalfWidth))}M{F(cx - 4)},{F(Y(bar.Value - bar.HalfWidth))}h8M{F(cx - 4)},{F(Y(bar.Value + bar.HalfWidth))}h8\" stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"/>");
                }
            }
        }

        Legend(sb, names, names.Select((n, i) => colors is not null && colors.TryGetValue(n, out var c) ? c : Color(i)).ToList(), width - right + 12, top);
        return Close(sb);
    }

    /// <summary>Horizontal dot-and-whisker chart of means with 95% intervals, one row per method.</summary>
    public static string IntervalChart(IReadOnlyList<(string Name, double Mean, double Low, double High, string Color)> rows, string xLabel, int width = 900)
    {
        const double left = 190, right = 24, top = 12, bottom = 44, rowHeight = 24;
        int height = (int)(top + bottom + (rowHeight * Math.Max(1, rows.Count)));
        var sb = new StringBuilder();
        Open(sb, width, height, xLabel);
        var finite = rows.Where(r => double.IsFinite(r.Mean)).ToList();
        if (finite.Count == 0)
        {
            return Close(sb);
        }

        double xMin = finite.Min(r => double.IsFinite(r.Low) ? r.Low : r.Mean), xMax = finite.Max(r => double.IsFinite(r.High) ? r.High : r.Mean);
        var ticks = NiceTicks(xMin, xMax, 7);
        xMin = ticks[0];
        xMax = ticks[^1];
        double pw = width - left - right, ph = rowHeight * rows.Count;
        double X(double x) => left + ((x - xMin) / (xMax - xMin) * pw);
        foreach (double t in ticks)
        {
            sb.Append($"<line x1=\"{F(X(t))}\" x2=\"{F(X(t))}\" y1=\"{F(top)}\" y2=\"{F(top + ph)}\" stroke=\"#e3e3e3\"/>");
            sb.Append(Text(X(t), top + ph + 16, F(t, "0.###"), "middle"));
        }

        sb.Append(Text(left + (pw / 2), top + ph + 36, xLabel, "middle"));
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            double y = top + (rowHeight * (i + 0.5));
            sb.Append(Text(left - 10, y + 4, r.Name, "end"));
            if (!double.IsFinite(r.Mean))
            {
                continue;
            }

            if (double.IsFinite(r.Low) && double.IsFinite(r.High))
            {
                sb.Append($"<path d=\"M{F(X(r.Low))},{F(y)}H{F(X(r.High))}M{F(X(r.Low))},{F(y - 5)}v10M{F(X(r.High))},{F(y - 5)}v10\" stroke=\"{r.Color}\" stroke-width=\"2\" fill=\"none\"/>");
            }

            sb.Append($"<circle cx=\"{F(X(r.Mean))}\" cy=\"{F(y)}\" r=\"5\" fill=\"{r.Color}\"><title>{Esc(r.Name)}: {F(r.Mean, "0.###")} [{F(r.Low, "0.###")}, {F(r.High, "0.###")}]</title></circle>");
        }

        return Close(sb);
    }

    /// <summary>A grid world: tiles coloured by type, the agent's visits as a heat overlay with counts.</summary>
    public static string GridHeatmap(GridVisits grid, int cell = 26)
    {
        int width = (grid.Columns * cell) + 2, height = (grid.Rows * cell) + 2;
        int max = Math.Max(1, grid.Visits.Max());
        var sb = new StringBuilder();
        Open(sb, width, height, $"grid task {grid.TaskIndex} visits");
        for (int r = 0; r < grid.Rows; r++)
        {
            for (int c = 0; c < grid.Columns; c++)
            {
                int i = (r * grid.Columns) + c;
                char tile = grid.Tiles[i];
                double x = 1 + (c * cell), y = 1 + (r * cell);
                sb.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{cell}\" height=\"{cell}\" fill=\"{TileColor(tile)}\" stroke=\"#ffffff\" stroke-width=\"1\"/>");
                int v = grid.Visits[i];
                if (v > 0)
                {
                    double alpha = 0.15 + (0.8 * Math.Sqrt(v / (double)max));
                    sb.Append($"<rect x=\"{F(x + 3)}\" y=\"{F(y + 3)}\" width=\"{cell - 6}\" height=\"{cell - 6}\" rx=\"4\" fill=\"#d7191c\" fill-opacity=\"{F(alpha, "0.00")}\"><title>({r}, {c}) visited {v}×</title></rect>");
                }

                string label = tile switch
                {
                    GridWorldTiles.Goal => "G",
                    GridWorldTiles.Start => "S",
                    GridWorldTiles.Danger => "X",
                    _ => string.Empty,
                };
                if (label.Length > 0)
                {
                    sb.Append($"<text x=\"{F(x + (cell / 2.0))}\" y=\"{F(y + (cell / 2.0) + 4)}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#111\">{label}</text>");
                }
            }
        }

        return Close(sb);
    }

    public static string TileColor(char tile) => tile switch
    {
        GridWorldTiles.Obstacle => "#3c4043",
        GridWorldTiles.Water => "#9ecae1",
        GridWorldTiles.Warning => "#fdd49e",
        GridWorldTiles.Danger => "#f4a582",
        GridWorldTiles.Goal => "#a1d99b",
        GridWorldTiles.Start => "#fff7bc",
        _ => "#f1f3f4",
    };

    /// <summary>About <paramref name="count"/> round tick values covering [min, max].</summary>
    public static double[] NiceTicks(double min, double max, int count)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            return [0, 1];
        }

        if (max - min < 1e-12)
        {
            double pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }

        double raw = (max - min) / Math.Max(1, count - 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 2.5, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        double first = Math.Floor(min / step) * step;
        double last = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + (step / 2); t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        return [.. ticks];
    }

    private static double Lower(ChartPoint p) => double.IsFinite(p.StandardError) ? p.Y - p.StandardError : p.Y;

    private static double Upper(ChartPoint p) => double.IsFinite(p.StandardError) ? p.Y + p.StandardError : p.Y;

    private static void Axes(StringBuilder sb, double left, double top, double pw, double ph, IEnumerable<double> xTicks, IEnumerable<double> yTicks, Func<double, double> x, Func<double, double> y, string xLabel, string yLabel)
    {
        foreach (double t in yTicks)
        {
            sb.Append($"<line x1=\"{F(left)}\" x2=\"{F(left + pw)}\" y1=\"{F(y(t))}\" y2=\"{F(y(t))}\" stroke=\"#e3e3e3\"/>");
            sb.Append(Text(left - 8, y(t) + 4, F(t, "0.###"), "end"));
        }

        foreach (double t in xTicks)
        {
            sb.Append($"<line x1=\"{F(x(t))}\" x2=\"{F(x(t))}\" y1=\"{F(top + ph)}\" y2=\"{F(top + ph + 5)}\" stroke=\"#555\"/>");
            sb.Append(Text(x(t), top + ph + 18, F(t, "0.###"), "middle"));
        }

        sb.Append($"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(pw)}\" height=\"{F(ph)}\" fill=\"none\" stroke=\"#888\"/>");
        if (xLabel.Length > 0)
        {
            sb.Append(Text(left + (pw / 2), top + ph + 38, xLabel, "middle"));
        }

        sb.Append($"<text transform=\"translate(16,{F(top + (ph / 2))}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\">{Esc(yLabel)}</text>");
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<string> names, IReadOnlyList<string>? colors, double x, double y)
    {
        if (names.Count < 2)
        {
            return;
        }

        double width = LegendWidth(names);
        sb.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(width + 8)}\" height=\"{F((names.Count * 16) + 6)}\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>");
        for (int i = 0; i < names.Count; i++)
        {
            string color = colors is not null && i < colors.Count ? colors[i] : Color(i);
            double ly = y + 12 + (i * 16);
            sb.Append($"<rect x=\"{F(x + 6)}\" y=\"{F(ly - 8)}\" width=\"14\" height=\"10\" fill=\"{color}\"/>");
            sb.Append($"<text x=\"{F(x + 26)}\" y=\"{F(ly + 1)}\" font-size=\"11\" fill=\"#222\">{Esc(names[i])}</text>");
        }
    }

    private static double LegendWidth(IEnumerable<string> names) => 32 + (names.Max(n => n.Length) * 6.2);

    private static void Open(StringBuilder sb, int width, int height, string title) =>
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"system-ui, sans-serif\"><title>{Esc(title)}</title>");

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static string Text(double x, double y, string text, string anchor) =>
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"#333\">{Esc(text)}</text>";

    internal static string Esc(string text) => WebUtility.HtmlEncode(text);

    internal static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
}
