// QuickStart: meta-train RL³ and RL² on 5-armed Bernoulli bandits (H = 10 pulls per task) and compare them with the classic
// bandit algorithms on the same 1000 held-out tasks.
//
//   dotnet run --project samples/QuickStart -c Release [-- --iterations 60 --tasks 1000]
using System.Diagnostics;
using System.Globalization;
using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Tasks;
using RL3.Core.Training;

int? iterations = null;
int tasks = 1000;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--tasks": tasks = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use --iterations N and --tasks M.");
    }
}

const ulong evaluationSeed = 20_240_607;
var results = new List<MethodResult>();

// 1. Meta-train RL³ and RL² with the quick presets (a small GRU, 4000 steps per PPO iteration).
foreach (string presetName in new[] { "bandits-h10-rl3-quick", "bandits-h10-rl2-quick" })
{
    var preset = PresetCatalog.Get(presetName);
    var environment = preset.CreateEnvironment();
    using var policy = preset.CreatePolicy(environment);
    using var trainer = new PpoTrainer(policy, environment, preset.Ppo);
    var clock = Stopwatch.StartNew();
    var summary = trainer.Train(iterations);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{environment.Name}: {summary.IterationsCompleted} PPO iterations ({summary.TotalSteps:N0} steps) in {clock.Elapsed.TotalSeconds:F0} s, last training return {summary.LastIteration?.ReturnMean:F2}"));

    // 2. Evaluate the trained policy on held-out (test-split) tasks.
    results.Add(PolicyEvaluator.Evaluate(policy, environment, tasks, evaluationSeed));
}

// 3. The baselines on exactly the same tasks (same seed, same split, same task indices).
var bandits = TaskCatalog.Create(TaskCatalog.BanditsK5);
var evaluator = new MetaEvaluator(new EvaluationOptions { TaskCount = tasks, InteractionBudget = 10, Seed = evaluationSeed });
var baselines = evaluator.Evaluate(bandits,
[
    new GittinsIndexAgentFactory(),
    new ThompsonSamplingAgentFactory(name: "thompson"),
    new Ucb1AgentFactory(name: "ucb1"),
    new RandomAgentFactory(),
]);
results.AddRange(baselines.Methods);

// 4. One table; the paired differences are exact because every method saw the same tasks.
var report = baselines with { Methods = [.. results] };
Console.WriteLine();
Console.WriteLine(EvaluationTableFormatter.Format(report, baseline: "random"));
