using System.Collections.Immutable;
using RL3.Core.Meta;

namespace RL3.Core.Evaluation;

/// <summary>
/// Records the adaptation curve: the mean return of the j-th task episode of a meta-episode over all tasks that
/// reached it (the paper's evidence that an agent improves within its budget). A last episode cut short by the
/// budget counts.
/// </summary>
public sealed class AdaptationCurveRecorder : IEvaluationRecorder
{
    private double[][] _episodeReturns = [];
    private int[] _episodeCounts = [];
    private double[] _running = [];

    /// <summary>The curve of the tasks played so far, one point per task-episode index (empty before any task).</summary>
    public ImmutableArray<AdaptationPoint> Curve
    {
        get
        {
            int maxEpisodes = 0;
            foreach (int count in _episodeCounts)
            {
                maxEpisodes = Math.Max(maxEpisodes, count);
            }

            var builder = ImmutableArray.CreateBuilder<AdaptationPoint>(maxEpisodes);
            var values = new double[_episodeReturns.Length];
            for (int j = 0; j < maxEpisodes; j++)
            {
                int n = 0;
                for (int i = 0; i < _episodeReturns.Length; i++)
                {
                    if (_episodeCounts[i] > j && j < _episodeReturns[i].Length)
                    {
                        values[n++] = _episodeReturns[i][j];
                    }
                }

                var (mean, se) = Statistics.MeanAndStandardError(values.AsSpan(0, n));
                builder.Add(new AdaptationPoint(j, mean, se, n));
            }

            return builder.MoveToImmutable();
        }
    }

    /// <inheritdoc />
    public void OnStart(int taskCount, int interactionBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(taskCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(interactionBudget, 1);
        _episodeReturns = new double[taskCount][];
        _episodeCounts = new int[taskCount];
        _running = new double[taskCount];
        for (int i = 0; i < taskCount; i++)
        {
            _episodeReturns[i] = new double[interactionBudget];
        }
    }

    /// <inheritdoc />
    public void OnMetaEpisodeStart(int task, MetaEnvironment environment)
    {
        _episodeCounts[task] = 0;
        _running[task] = 0;
    }

    /// <inheritdoc />
    public void OnStep(int task, MetaEnvironment environment, int action, in MetaStep step)
    {
        _running[task] += step.Reward;
        if (step.TaskEpisodeEnded || step.MetaEpisodeEnded)
        {
            int episode = _episodeCounts[task]++;
            if (episode < _episodeReturns[task].Length)
            {
                _episodeReturns[task][episode] = _running[task];
            }

            _running[task] = 0;
        }
    }

    /// <inheritdoc />
    public void OnMetaEpisodeEnd(int task, double metaReturn)
    {
    }
}
