using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RL3.Core.Benchmarks.Nn;

/// <summary>A summary column with the achieved GFLOP/s (2·M·N·K per operation over the mean time).</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Achieved GFLOP/s: 2*M*N*K floating-point operations per call divided by the median time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
        {
            return "NA";
        }

        double m = 1, n = 1, k = 1;
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            switch (p.Name)
            {
                case "M": m = Convert.ToDouble(p.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "N": n = Convert.ToDouble(p.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "K": k = Convert.ToDouble(p.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "Shape":
                    var parts = ((string)p.Value).Split('x');
                    (m, n, k) = (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        double seconds = stats.Median * 1e-9;
        return (2 * m * n * k / seconds / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
