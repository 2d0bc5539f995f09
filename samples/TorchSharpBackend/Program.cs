// TorchSharpBackend: meta-train RL³ on the quick bandit preset (bandits-h10-rl3-quick: 5-armed bandits, 10 pulls per
// task, a small GRU, 60 PPO iterations) with the policy on libtorch through TorchSharp instead of the in-house engine,
// then score it on 1000 held-out tasks. With --compare it also trains the in-house policy from the same initial weights.
//
//   dotnet run --project samples/TorchSharpBackend -c Release [-- --device cpu|cuda|cuda:N --threads 1 --iterations 60 --tasks 1000 --compare]
using System.Diagnostics;
using System.Globalization;
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

// 1. The preset's policy on libtorch: policy.backend = torchsharp (same architecture, parameter names and initial weights
//    as the in-house one), on policy.device with policy.threadCount libtorch threads (process-wide). The same three keys
//    work in preset JSON, under AddRL3() and as `rl3 train --set policy.backend=torchsharp`.
var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
preset.Policy.Backend = PolicyBackends.TorchSharp;
preset.Policy.Device = device;
preset.Policy.ThreadCount = threads;
Run("TorchSharp (" + device + ")", preset);

// 2. Optionally the in-house engine, same preset and seed (the same initial weights), for comparison.
if (compare)
{
    Run("in-house engine", PresetCatalog.Get("bandits-h10-rl3-quick"));
}

void Run(string engine, TrainingPreset p)
{
    var environment = p.CreateEnvironment();
    using var policy = p.CreatePolicy(environment);

    // The unchanged trainer: it sees only IMetaPolicy and the policy's own optimiser.
    using var trainer = new PpoTrainer(policy, environment, p.Ppo);
    var clock = Stopwatch.StartNew();
    var summary = trainer.Train(iterations);
    double seconds = clock.Elapsed.TotalSeconds;
    var result = PolicyEvaluator.Evaluate(policy, environment, tasks, evaluationSeed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{engine}: {policy.GetType().Name}, {summary.IterationsCompleted} PPO iterations ({summary.TotalSteps:N0} steps) in {seconds:F0} s; " +
        $"held-out return {result.Mean:F2} ± {result.StandardError:F2} over {tasks} tasks"));
}
