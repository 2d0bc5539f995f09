// CustomTaskDistribution: write your own task family, check it with TaskChecker, meta-train RL³ on it and compare with a
// random agent on held-out tasks.
//
//   dotnet run --project samples/CustomTaskDistribution -c Release [-- --iterations 60]
using System.Globalization;
using CustomTaskDistribution;
using RL3.Core.Evaluation;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
const int H = 40;                 // interaction budget: 40 steps = up to 5 episodes of 8 steps
const int EvaluationTasks = 500;
const ulong EvaluationSeed = 11;

// 1. The family, checked before any training: spaces, determinism, finite values, lifecycle, independence…
var family = new TreasureChainDistribution(length: 5, taskHorizon: 8);
var report = TaskChecker.Check(family);
Console.WriteLine(report);
if (!report.Passed)
{
    return 1;
}

// 2. RL³: model-based value iteration runs inside every task; its Q-values join the policy's observation.
//    The family's own settings (value scale c = 1) come from its ITaskFamilySettingsProvider.FamilySettings.
var environment = MetaEnvironmentSpec.ForAlgorithm(family, MetaAlgorithm.Rl3, interactionBudget: H);
using var policy = new GruPolicy(new PolicyShape(environment.ObservationSize, family.ActionCount), new GruPolicyOptions
{
    EmbeddingSize = 32,
    HiddenSize = 64,
    Seed = 1,
});
var ppo = new PpoOptions
{
    BatchSteps = 4000,          // 100 meta-episodes per iteration
    MinibatchSequences = 25,
    Iterations = iterations,
    LearningRate = 1e-3,
    DecayLearningRate = true,   // anneal to 0: keeps the late iterations from undoing what was learned
    EntropyCoefficient = 0.05,
    Seed = 1,
};
using var trainer = new PpoTrainer(policy, environment, ppo);
var before = PolicyEvaluator.Evaluate(policy, environment, EvaluationTasks, EvaluationSeed, name: "RL³ (untrained)");
while (trainer.Iteration < iterations)
{
    var summary = trainer.Train(Math.Min(10, iterations - trainer.Iteration));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  iteration {trainer.Iteration,3}/{iterations}: training return {summary.LastIteration?.ReturnMean:F2}"));
}

// 3. Held-out tasks: the trained policy, the untrained one and a random agent all see the same treasures.
var trained = PolicyEvaluator.Evaluate(policy, environment, EvaluationTasks, EvaluationSeed, name: "RL³ (trained)");
var baselines = new MetaEvaluator(new EvaluationOptions { TaskCount = EvaluationTasks, InteractionBudget = H, Seed = EvaluationSeed })
    .Evaluate(family, [new RandomAgentFactory()]);
var table = baselines with { Methods = [trained, before, .. baselines.Methods] };
Console.WriteLine();
Console.WriteLine(EvaluationTableFormatter.Format(table, baseline: "random"));
return 0;
