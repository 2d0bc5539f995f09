namespace RL3.Core.Orleans.Learner;

/// <summary>The learner found too few RL3 workers in the cluster within <see cref="DistributedTrainingOptions.WorkerWaitTimeout"/>.</summary>
public sealed class NoWorkersException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public NoWorkersException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was missing.</param>
    public NoWorkersException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was missing.</param>
    /// <param name="innerException">The cause.</param>
    public NoWorkersException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
