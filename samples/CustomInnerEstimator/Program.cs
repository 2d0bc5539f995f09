// CustomInnerEstimator: plug your own inner RL algorithm into RL³ and meta-train with it on 5-armed bandits (H = 10).
//
//   dotnet run --project samples/CustomInnerEstimator -c Release [-- --iterations 40]
using System.Globalization;
using CustomInnerEstimator;
using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Tasks;
using RL3.Core.Training;

int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
const int EvaluationTasks = 1000;
const ulong EvaluationSeed = 20_240_607;

// 1. Take the quick bandit preset for its policy and PPO settings; only the environment changes.
var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
int h = preset.InteractionBudget;
var bandits = TaskCatalog.Create(TaskCatalog.BanditsK5);

// 2. The environment: our estimator instead of model-based value iteration. States reach it through a state indexer:
//    bandits are discrete (StateCount = 2), so the state index is the table row.
int states = bandits.StateCount;
int actions = bandits.ActionCount;
var environment = new MetaEnvironmentSpec(
    bandits,
    new MetaEnvironmentOptions { InteractionBudget = h, ValueScale = 1.0 },
    estimatorFactory: () => new OptimisticCountEstimator(states, actions, gamma: 0.9, bonus: 0.5),
    indexerFactory: () => new DirectStateIndexer(states),
    name: "RL³ (optimistic counts)");
Console.WriteLine($"{environment.Name}: observation size {environment.ObservationSize} ({string.Join(", ", environment.Layout.Blocks.Select(b => $"{b.Name} {b.Length}"))})");

// 3. Train as usual.
using var policy = preset.CreatePolicy(environment);
var ppo = preset.Ppo.Clone();
ppo.Iterations = iterations;
using var trainer = new PpoTrainer(policy, environment, ppo);
while (trainer.Iteration < iterations)
{
    var summary = trainer.Train(Math.Min(10, iterations - trainer.Iteration));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  iteration {trainer.Iteration,3}/{iterations}: training return {summary.LastIteration?.ReturnMean:F2}"));
}

// 4. Evaluate on held-out tasks next to UCB1 (the estimator's bonus is UCB-like) and random, on the same tasks.
var trained = PolicyEvaluator.Evaluate(policy, environment, EvaluationTasks, EvaluationSeed);
var baselines = new MetaEvaluator(new EvaluationOptions { TaskCount = EvaluationTasks, InteractionBudget = h, Seed = EvaluationSeed })
    .Evaluate(bandits, [new Ucb1AgentFactory(name: "ucb1"), new RandomAgentFactory()]);
Console.WriteLine();
Console.WriteLine(EvaluationTableFormatter.Format(baselines with { Methods = [trained, .. baselines.Methods] }, baseline: "random"));
