using System.Collections.Concurrent;
using RL3.Core.Tasks;

namespace RL3.Core.DependencyInjection;

/// <summary>The default <see cref="ITaskDistributionRegistry"/>: <see cref="TaskCatalog"/> plus the registrations in the container.</summary>
internal sealed class TaskDistributionRegistry : ITaskDistributionRegistry
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<string, TaskDistributionRegistration> _registered = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<ITaskDistribution>> _created = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _names;

    public TaskDistributionRegistry(IServiceProvider services, IEnumerable<TaskDistributionRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registrations);
        _services = services;
        var names = new List<string>(TaskCatalog.Names);
        foreach (var registration in registrations)
        {
            // AddTaskDistribution rejects duplicates when it is called; a registration added by hand is checked here.
            if (TaskCatalog.TryGet(registration.Name, out _) || !_registered.TryAdd(registration.Name, registration))
            {
                throw new InvalidOperationException($"Task distribution '{registration.Name}' is registered twice (or shadows a built-in TaskCatalog name).");
            }

            names.Add(registration.Name);
        }

        _names = [.. names];
    }

    public IReadOnlyList<string> Names => _names;

    public bool Contains(string name) => name is not null && (_registered.ContainsKey(name) || TaskCatalog.TryGet(name, out _));

    public ITaskDistribution Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Contains(name))
        {
            throw new ArgumentException($"Unknown task distribution '{name}'. Known names: {string.Join(", ", _names)}.", nameof(name));
        }

        return _created.GetOrAdd(name, n => new Lazy<ITaskDistribution>(() => Create(n))).Value;
    }

    private ITaskDistribution Create(string name) =>
        _registered.TryGetValue(name, out var registration)
            ? registration.Factory(_services) ?? throw new InvalidOperationException($"The factory of task distribution '{name}' returned null.")
            : TaskCatalog.Create(name);
}
