using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace RL3.Core.Orleans.Grains;

/// <summary>
/// Places a worker grain on the silo named by its key (<see cref="SiloAddress.ToParsableString"/>): one worker per silo,
/// which keeps its shards' rollouts in that silo's memory. A key naming a silo that is not active fails the call with
/// <see cref="WorkerSiloUnavailableException"/>; the learner then gives the worker's shards to another one.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class WorkerSiloPlacement : PlacementStrategy
{
}

/// <summary>Marks a grain class as placed by <see cref="WorkerSiloPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class WorkerSiloPlacementAttribute() : PlacementAttribute(new WorkerSiloPlacement());

/// <summary>The placement director of <see cref="WorkerSiloPlacement"/>.</summary>
internal sealed class WorkerSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        if (!SiloAddress.TryParse(key, out var wanted))
        {
            throw new WorkerSiloUnavailableException($"worker grain key '{key}' is not a silo address.");
        }

        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(wanted))
            {
                return Task.FromResult(silo);
            }
        }

        throw new WorkerSiloUnavailableException($"worker silo {key} is not an active member of the cluster.");
    }
}

/// <summary>The silo a worker grain is pinned to is not (or no longer) an active member of the cluster.</summary>
[GenerateSerializer]
public sealed class WorkerSiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerSiloUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is unavailable.</param>
    public WorkerSiloUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is unavailable.</param>
    /// <param name="innerException">The cause.</param>
    public WorkerSiloUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
