using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Meta;

/// <summary>What a <see cref="FaultyTask"/> does wrong.</summary>
internal enum TaskFault
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Writes a value (NaN or ±∞) into one observation element.</summary>
    ObservationValue,

    /// <summary>Writes one element past the end of its observation span.</summary>
    ObservationOverrun,

    /// <summary>Returns a finite reward beyond float range (1e39).</summary>
    HugeReward,
}

/// <summary>
/// A one-state, two-action task with a two-element observation [1, 0]; action 0 pays 0.5, action 1 pays 0; no
/// episode ends. At its step number <paramref name="faultStep"/> (0 = in the first Reset, k ≥ 1 = in the k-th Step)
/// it commits <paramref name="fault"/>.
/// </summary>
internal sealed class FaultyTask(TaskFault fault, int faultStep, int element = 1, float value = float.NaN) : ITask
{
    private int _calls;

    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateIndex => 0;

    public void Reset(RandomSource random, Span<float> observation)
    {
        _calls = 0;
        Write(observation);
    }

    public TaskStep Step(int action, Span<float> observation)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)action, 1u, nameof(action));
        _calls++;
        Write(observation);
        return new TaskStep(fault == TaskFault.HugeReward && _calls >= faultStep ? 1e39 : action == 0 ? 0.5 : 0, false, false);
    }

    public string Render() => "faulty";

    private void Write(Span<float> observation)
    {
        observation[0] = 1f;
        observation[1] = 0f;
        if (_calls == faultStep)
        {
            switch (fault)
            {
                case TaskFault.ObservationValue:
                    observation[element] = value;
                    break;
                case TaskFault.ObservationOverrun:
                    observation[2] = 1f;
                    break;
            }
        }
    }
}

/// <summary>
/// A family of <see cref="FaultyTask"/>s in which only the task from the <paramref name="faultySample"/>-th call of
/// <see cref="Sample"/> (0-based) is faulty: with tasks sampled in index order, that is the task with that index.
/// </summary>
internal sealed class FaultyDistribution(TaskFault fault, int faultStep, int faultySample, int element = 1, float value = float.NaN) : ITaskDistribution
{
    private int _samples;

    public string Name => "faulty";
    public int ActionCount => 2;
    public int ObservationSize => 2;
    public int StateCount => 1;
    public int TaskHorizon => 0;

    public ITask Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int number = Interlocked.Increment(ref _samples) - 1;
        return new FaultyTask(number == faultySample ? fault : TaskFault.None, faultStep, element, value);
    }
}

/// <summary>Reads what a user sees of a fault, whether it arrives bare or wrapped.</summary>
internal static class FaultMessages
{
    /// <summary>Runs <paramref name="code"/>, which must throw, and returns the messages of the exception and all its inner exceptions.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The messages, one per line.</returns>
    public static string Of(TestDelegate code)
    {
        try
        {
            code();
        }
        catch (Exception e)
        {
            var messages = new List<string>();
            Collect(e, messages);
            return string.Join('\n', messages);
        }

        Assert.Fail("Expected an exception.");
        return string.Empty;
    }

    private static void Collect(Exception e, List<string> messages)
    {
        messages.Add(e.Message);
        if (e is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
            {
                Collect(inner, messages);
            }
        }
        else if (e.InnerException is not null)
        {
            Collect(e.InnerException, messages);
        }
    }
}
