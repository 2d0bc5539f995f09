using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace CustomTaskDistribution;

/// <summary>One treasure chain: the observation is the one-hot position, the state index is the position.</summary>
public sealed class TreasureChainTask : ITask
{
    /// <summary>The number of actions: 0 = left, 1 = right, 2 = dig.</summary>
    public const int Actions = 3;

    private readonly int _length;
    private readonly int _treasure;
    private int _position;
    private bool _running;

    /// <summary>Initializes a new instance of the <see cref="TreasureChainTask"/> class.</summary>
    /// <param name="length">Number of cells.</param>
    /// <param name="treasure">The cell holding the treasure.</param>
    public TreasureChainTask(int length, int treasure)
    {
        _length = length;
        _treasure = treasure;
    }

    /// <inheritdoc />
    public int ActionCount => Actions;

    /// <inheritdoc />
    public int ObservationSize => _length;

    /// <inheritdoc />
    public int StateIndex => _position;

    /// <inheritdoc />
    public void Reset(RandomSource random, Span<float> observation)
    {
        _position = 0;
        _running = true;
        Write(observation);
    }

    /// <inheritdoc />
    public TaskStep Step(int action, Span<float> observation)
    {
        // The contract TaskChecker verifies: bad actions throw and change nothing; stepping a finished episode throws.
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, Actions);
        if (!_running)
        {
            throw new InvalidOperationException("Call Reset before Step (the episode has not started or has ended).");
        }

        double reward = 0;
        bool found = false;
        switch (action)
        {
            case 0: _position = Math.Max(0, _position - 1); break;
            case 1: _position = Math.Min(_length - 1, _position + 1); break;
            default:
                found = _position == _treasure;
                reward = found ? 1.0 : 0.0;
                break;
        }

        _running = !found;
        Write(observation);
        return new TaskStep(reward, Terminated: found, Truncated: false);
    }

    /// <inheritdoc />
    public string Render()
    {
        var cells = new char[_length];
        for (int i = 0; i < _length; i++)
        {
            cells[i] = i == _position ? '@' : i == _treasure ? '$' : '.';
        }

        return new string(cells);
    }

    private void Write(Span<float> observation)
    {
        observation.Clear();
        observation[_position] = 1f;
    }
}
