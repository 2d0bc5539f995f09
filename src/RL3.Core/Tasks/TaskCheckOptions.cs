namespace RL3.Core.Tasks;

/// <summary>Settings of <see cref="TaskChecker.Check"/>.</summary>
public sealed class TaskCheckOptions
{
    /// <summary>The seed every task, environment stream and action sequence of the checks is derived from. Default 20250101.</summary>
    public ulong Seed { get; set; } = 20250101;

    /// <summary>Steps per trajectory (episodes are reset as they end), at least 1. Default 300.</summary>
    public int StepsPerRun { get; set; } = 300;

    /// <summary>The most steps the lifecycle check waits for an episode to end, at least 1. Default 20000.</summary>
    public int MaxEpisodeSteps { get; set; } = 20_000;

    /// <summary>The largest MDP whose transition rows the tabular check verifies in full (states). Default 2000.</summary>
    public int MaxTabularStates { get; set; } = 2000;
}
