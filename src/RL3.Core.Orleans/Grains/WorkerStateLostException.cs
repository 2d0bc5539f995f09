namespace RL3.Core.Orleans.Grains;

/// <summary>
/// A worker no longer holds what a call needs (another run replaced it, or its rollout of the iteration is gone); the
/// learner treats it as a lost worker and rebuilds the shards' rollouts from the iteration's rollout requests.
/// </summary>
[GenerateSerializer]
public sealed class WorkerStateLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStateLostException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was lost.</param>
    public WorkerStateLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was lost.</param>
    /// <param name="innerException">The cause.</param>
    public WorkerStateLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
