namespace RL3.Core.Orleans.Learner;

/// <summary>How the learner waits for workers and when it gives a shard to another worker.</summary>
public sealed class DistributedTrainingOptions
{
    /// <summary>The longest the learner waits for a worker's answer to one call (a rollout, one minibatch's gradients, one
    /// exact-KL pass) before it gives the worker's shards to another worker: the straggler time-out. Default 120 s.</summary>
    /// <remarks>
    /// The reassigned shards' rollouts are rebuilt from the iteration's rollout requests, so the result is the same bits.
    /// Set it well above the slowest worker's rollout time (the progress line and <c>OrleansShardExecutor.Statistics</c>
    /// show it): a time-out that fires on a healthy worker costs a rollout of its shards elsewhere. A worker whose silo
    /// leaves the cluster (killed, crashed, partitioned) is given up as soon as Orleans declares it dead, without waiting
    /// for this time-out.
    /// </remarks>
    public TimeSpan StragglerTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the learner waits for at least <see cref="MinimumWorkers"/> workers when an iteration starts, or for
    /// any worker when every worker is lost. Default 120 s.</summary>
    public TimeSpan WorkerWaitTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The workers an iteration waits for before it starts (the first iteration especially). Default 1.</summary>
    public int MinimumWorkers { get; set; } = 1;

    /// <summary>How often the learner reads the cluster's membership while it waits for answers. Default 1 s.</summary>
    public TimeSpan MembershipPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public DistributedTrainingOptions Clone() => (DistributedTrainingOptions)MemberwiseClone();

    /// <summary>Checks every value; throws naming the first bad one and its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        RequirePositive(nameof(StragglerTimeout), StragglerTimeout);
        RequirePositive(nameof(WorkerWaitTimeout), WorkerWaitTimeout);
        RequirePositive(nameof(MembershipPollInterval), MembershipPollInterval);
        if (MinimumWorkers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumWorkers), MinimumWorkers, "DistributedTrainingOptions.MinimumWorkers must be at least 1.");
        }
    }

    private static void RequirePositive(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"DistributedTrainingOptions.{name} must be more than 0 and at most one day.");
        }
    }
}
