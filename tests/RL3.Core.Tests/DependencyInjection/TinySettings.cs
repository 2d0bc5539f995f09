namespace RL3.Core.Tests.DependencyInjection;

/// <summary>Configuration for a run that takes milliseconds: H = 10, 8 environments, one epoch, a tiny GRU.</summary>
internal static class TinySettings
{
    public static Dictionary<string, string?> Create(string task = "bandits-k5", string algorithm = "Rl3") => new()
    {
        ["RL3:TaskDistribution"] = task,
        ["RL3:Algorithm"] = algorithm,
        ["RL3:Policy"] = "Gru",
        ["RL3:InteractionBudget"] = "10",
        ["RL3:Ppo:BatchSteps"] = "80",
        ["RL3:Ppo:MinibatchSequences"] = "4",
        ["RL3:Ppo:Epochs"] = "1",
        ["RL3:Ppo:Iterations"] = "2",
        ["RL3:Ppo:Seed"] = "7",
        ["RL3:Ppo:MaxDegreeOfParallelism"] = "1",
        ["RL3:Inner:ValueScale"] = "1",
        ["RL3:GruPolicy:EmbeddingSize"] = "8",
        ["RL3:GruPolicy:HiddenSize"] = "8",
        ["RL3:Evaluation:TaskCount"] = "16",
        ["RL3:Evaluation:MaxDegreeOfParallelism"] = "1",
    };
}
