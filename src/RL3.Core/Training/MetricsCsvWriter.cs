using System.Globalization;
using System.Text;

namespace RL3.Core.Training;

/// <summary>
/// Appends metric rows to a CSV file with a fixed header (the columns given at construction). Values are
/// written with the invariant culture and round-trip precision; a missing value is an empty cell.
/// </summary>
public sealed class MetricsCsvWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string[] _columns;
    private readonly StringBuilder _line = new();

    /// <summary>Creates (or truncates, or appends to) the file and writes the header when the file is new.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">The column keys, in order.</param>
    /// <param name="append">Append to an existing file (resuming a run) instead of truncating it.</param>
    public MetricsCsvWriter(string path, IReadOnlyList<string> columns, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one column is required.", nameof(columns));
        }

        _columns = [.. columns];
        bool writeHeader = !append || !File.Exists(path) || new FileInfo(path).Length == 0;
        _writer = new StreamWriter(path, append, new UTF8Encoding(false)) { NewLine = "\n" };
        if (writeHeader)
        {
            _writer.WriteLine(string.Join(',', _columns));
            _writer.Flush();
        }
    }

    /// <summary>The column keys.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Writes one row and flushes it.</summary>
    /// <param name="values">Values by key; keys not among the columns are ignored.</param>
    public void WriteRow(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _line.Clear();
        for (int i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            if (values.TryGetValue(_columns[i], out double v))
            {
                _line.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        _writer.WriteLine(_line.ToString());
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
