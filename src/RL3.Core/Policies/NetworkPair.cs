namespace RL3.Core.Policies;

/// <summary>
/// Runs the actor's and the critic's share of a call concurrently (when the policy's parallelism allows it).
/// The two networks share no buffers, so the results are identical to running them one after the other.
/// Callers keep the serial path free of lambdas so that it allocates nothing.
/// </summary>
internal static class NetworkPair
{
    public static bool IsConcurrent(int maxDegreeOfParallelism) =>
        (maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism) >= 2;

    public static (T Actor, T Critic) Run<T>(Func<T> actor, Func<T> critic)
    {
        var task = Task.Run(critic);
        var a = actor();
        return (a, task.GetAwaiter().GetResult());
    }
}
