using RL3.Core.Training;

namespace RL3.Core.Tests.Training;

public sealed class MetricsCsvWriterTests
{
    [Test]
    public void WriteRow_WritesHeaderAndInvariantValues_AppendKeepsHeaderOnce()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rl3-metrics-{TestContext.CurrentContext.Test.ID}.csv");
        try
        {
            using (var writer = new MetricsCsvWriter(path, [TrainingMetricKeys.Iteration, TrainingMetricKeys.ReturnMean]))
            {
                writer.WriteRow(new Dictionary<string, double> { [TrainingMetricKeys.Iteration] = 0, [TrainingMetricKeys.ReturnMean] = 1.5 });
            }

            using (var writer = new MetricsCsvWriter(path, [TrainingMetricKeys.Iteration, TrainingMetricKeys.ReturnMean], append: true))
            {
                writer.WriteRow(new Dictionary<string, double> { [TrainingMetricKeys.Iteration] = 1 });
            }

            Assert.That(File.ReadAllLines(path), Is.EqualTo(new[] { "iteration,charts/return_mean", "0,1.5", "1," }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
