using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RL3.Core.DependencyInjection;

namespace HostedTraining;

/// <summary>Trains once with the configured settings, evaluates the policy on held-out tasks, then stops the host.</summary>
/// <param name="factory">Builds the environment, policy and trainer from the validated options.</param>
/// <param name="lifetime">Stops the application when training is done.</param>
/// <param name="logger">Where progress goes.</param>
internal sealed partial class TrainingWorker(IRL3TrainerFactory factory, IHostApplicationLifetime lifetime, ILogger<TrainingWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => Train(stoppingToken), stoppingToken);
        }
        catch (OperationCanceledException)
        {
            LogCancelled();
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private void Train(CancellationToken cancellationToken)
    {
        var options = factory.Options;
        using var trainer = factory.CreateTrainer();
        using var policy = trainer.Policy;
        LogStart(trainer.Environment.Name, options.TaskDistribution, policy.GetType().Name, trainer.Options.Iterations, trainer.Options.BatchSteps);

        var clock = Stopwatch.StartNew();
        while (trainer.Iteration < trainer.Options.Iterations && !cancellationToken.IsCancellationRequested)
        {
            var summary = trainer.Train(Math.Min(10, trainer.Options.Iterations - trainer.Iteration), cancellationToken: cancellationToken);
            LogProgress(trainer.Iteration, trainer.Options.Iterations, summary.LastIteration?.ReturnMean ?? double.NaN);
        }

        var result = factory.Evaluate(policy, trainer.Environment);
        LogResult(result.Name, result.TaskReturns.Length, result.Mean, result.StandardError, clock.Elapsed.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training {Algorithm} on {Task} with a {Policy}: {Iterations} PPO iterations of {BatchSteps} steps")]
    private partial void LogStart(string algorithm, string task, string policy, int iterations, int batchSteps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Iteration {Iteration}/{Total}: training return {ReturnMean:F2}")]
    private partial void LogProgress(int iteration, int total, double returnMean);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} on {Tasks} held-out tasks: mean return {Mean:F2} ± {StandardError:F2} ({Seconds:F0} s)")]
    private partial void LogResult(string method, int tasks, double mean, double standardError, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training was cancelled")]
    private partial void LogCancelled();
}
