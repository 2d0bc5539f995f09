using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.DependencyInjection;

/// <summary>A user task family for the DI tests: two coins, heads with p and 1 − p, p ~ U(0, 1); one flip per episode.</summary>
internal sealed class CoinFlipDistribution : ITaskDistribution
{
    public string Name => "coin-flip";

    public int ActionCount => 2;

    public int ObservationSize => 2;

    public int StateCount => 2;

    public int TaskHorizon => 1;

    public ITask Sample(RandomSource random) => new CoinFlipTask(random.NextDouble());

    private sealed class CoinFlipTask(double p) : ITask
    {
        private RandomSource? _random;
        private int _state = -1;

        public int ActionCount => 2;

        public int ObservationSize => 2;

        public int StateIndex => Math.Max(_state, 0);

        public void Reset(RandomSource random, Span<float> observation)
        {
            _random = random;
            _state = 0;
            observation[0] = 1f;
            observation[1] = 0f;
        }

        public TaskStep Step(int action, Span<float> observation)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(action);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(action, 1);
            if (_state != 0)
            {
                throw new InvalidOperationException("Reset before stepping.");
            }

            double heads = action == 0 ? p : 1 - p;
            double reward = _random!.NextDouble() < heads ? 1.0 : 0.0;
            _state = 1;
            observation[0] = 0f;
            observation[1] = 1f;
            return new TaskStep(reward, Terminated: true, Truncated: false);
        }

        public string Render() => $"coins p = {p:F2}, {1 - p:F2}";
    }
}

/// <summary>The coin family declaring its own RL³ settings through the <see cref="ITaskFamilySettingsProvider"/> hook.</summary>
internal sealed class CoinFlipWithSettingsDistribution(TaskFamilySettings settings) : ITaskDistribution, ITaskFamilySettingsProvider
{
    private readonly CoinFlipDistribution _coins = new();

    public TaskFamilySettings FamilySettings => settings;

    public string Name => _coins.Name;

    public int ActionCount => _coins.ActionCount;

    public int ObservationSize => _coins.ObservationSize;

    public int StateCount => _coins.StateCount;

    public int TaskHorizon => _coins.TaskHorizon;

    public ITask Sample(RandomSource random) => _coins.Sample(random);
}
