// TorchSharpBackend: meta-train RL³ on the quick bandit preset (bandits-h10-rl3-quick: 5-armed bandits, 10 pulls per
// task, a small GRU, 60 PPO iterations) with the policy on libtorch through TorchSharp instead of the in-house engine,
// then score it on 1000 held-out tasks. With --compare it also trains the in-house policy from the same initial weights.
//
//   dotnet run --project samples/TorchSharpBackend -c Release [-- --device cpu|cuda|cuda:N --threads 1 --iterations 60 --tasks 1000 --compare]
using System.Diagnostics;
using System.Globalization;
using RL3.Core.Policies;
using RL3.Core.TorchSharp;
using RL3.Core.Training;

string device = "cpu";
int threads = 1;
int? iterations = null;
int tasks = 1000;
bool compare = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--device": device = args[++i]; break;
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--tasks": tasks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--compare": compare = true; break;
        default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use --device, --threads, --iterations, --tasks and --compare.");
    }
}

const ulong evaluationSeed = 20_240_607;
var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
var environment = preset.CreateEnvironment();
var shape = PolicyShape.ForInteractionBudget(environment.ObservationSize, environment.Distribution.ActionCount, environment.InteractionBudget);

// 1. The preset's policy on libtorch: same architecture, parameter names and initial weights as the in-house one.
//    The device and libtorch's thread count (process-wide) are the backend's two options.
var torchOptions = new TorchSharpOptions { Device = device, ThreadCount = threads };
using IMetaPolicy policy = preset.Policy.Kind switch
{
    PolicyKind.Gru => new TorchGruPolicy(shape, preset.Policy.Gru, torchOptions),
    PolicyKind.Transformer => new TorchTransformerPolicy(shape, preset.Policy.Transformer, torchOptions),
    _ => new TorchMlpPolicy(shape, preset.Policy.Mlp, torchOptions),
};
Run("TorchSharp (" + device + ")", policy);

// 2. Optionally the in-house engine, same preset and seed (the same initial weights), for comparison.
if (compare)
{
    using var inHouse = preset.CreatePolicy(environment);
    Run("in-house engine", inHouse);
}

void Run(string engine, IMetaPolicy p)
{
    // The unchanged trainer: it sees only IMetaPolicy and the policy's own optimiser.
    using var trainer = new PpoTrainer(p, environment, preset.Ppo);
    var clock = Stopwatch.StartNew();
    var summary = trainer.Train(iterations);
    double seconds = clock.Elapsed.TotalSeconds;
    var result = PolicyEvaluator.Evaluate(p, environment, tasks, evaluationSeed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{engine}: {p.GetType().Name}, {summary.IterationsCompleted} PPO iterations ({summary.TotalSteps:N0} steps) in {seconds:F0} s; " +
        $"held-out return {result.Mean:F2} ± {result.StandardError:F2} over {tasks} tasks"));
}
