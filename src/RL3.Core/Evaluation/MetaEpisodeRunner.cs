using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>Plays one meta-episode of an agent in a meta-environment (the call order documented on <see cref="IMetaAgent"/>).</summary>
public static class MetaEpisodeRunner
{
    /// <summary>Resets <paramref name="environment"/> on <paramref name="task"/>, lets <paramref name="agent"/> play all H steps and returns the sum of the rewards.</summary>
    /// <param name="environment">The meta-environment.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="task">The task of the meta-episode.</param>
    /// <param name="taskRandom">The task's random stream (its dynamics).</param>
    /// <param name="agentRandom">The agent's random stream.</param>
    /// <param name="episodeReturns">
    /// Optional; receives the return of each task episode in order (length ≥ H suffices; episodes beyond its length
    /// are not recorded). A last episode cut short by the budget counts.
    /// </param>
    /// <param name="episodeCount">The number of task episodes the meta-episode contained (started).</param>
    /// <param name="taskIndex">The task's index in its split, named in fault messages; −1 (the default) when unknown.</param>
    /// <returns>The meta-episode return.</returns>
    /// <exception cref="InvalidOperationException">The agent chose an action out of range, or the task faulted (see <see cref="MetaEnvironment"/>).</exception>
    public static double Run(MetaEnvironment environment, IMetaAgent agent, ITask task, RandomSource taskRandom, RandomSource agentRandom, Span<double> episodeReturns, out int episodeCount, long taskIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(taskRandom);
        ArgumentNullException.ThrowIfNull(agentRandom);
        var observation = new float[environment.ObservationSize];
        var next = new float[environment.ObservationSize];
        environment.Reset(task, taskRandom, observation, taskIndex);
        agent.BeginMetaEpisode(environment, agentRandom);

        double total = 0;
        double episodeReturn = 0;
        int episode = 0;
        int budget = environment.InteractionBudget;
        int actions = environment.ActionCount;
        for (int t = 0; t < budget; t++)
        {
            int action = agent.Act(observation);
            if ((uint)action >= (uint)actions)
            {
                throw new InvalidOperationException($"Agent '{agent.Name}' chose action {action}; actions are in [0, {actions - 1}].");
            }

            var step = environment.Step(action, next);
            agent.Observe(action, step, next);
            total += step.Reward;
            episodeReturn += step.Reward;
            if (step.TaskEpisodeEnded || step.MetaEpisodeEnded)
            {
                if (episode < episodeReturns.Length)
                {
                    episodeReturns[episode] = episodeReturn;
                }

                episode++;
                episodeReturn = 0;
            }

            (observation, next) = (next, observation);
        }

        episodeCount = episode;
        return total;
    }
}
