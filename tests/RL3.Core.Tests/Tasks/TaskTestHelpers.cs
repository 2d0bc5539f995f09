using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Tests.Tasks;

/// <summary>Shared helpers for the task tests.</summary>
internal static class TaskTestHelpers
{
    /// <summary>Bytes allocated on this thread while stepping <paramref name="task"/> with random actions (after a warm-up).</summary>
    public static long AllocatedBytesWhileStepping(ITask task, int steps)
    {
        var env = new RandomSource(1);
        var actions = new RandomSource(2);
        var observation = new float[task.ObservationSize];
        Drive(task, env, actions, observation, 100); // JIT and tiering warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Drive(task, env, actions, observation, steps);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Records a trajectory of random actions (rewards, flags, observations), resetting when episodes end.</summary>
    public static List<double> Trajectory(ITask task, ulong envSeed, ulong actionSeed, int steps)
    {
        var env = new RandomSource(envSeed);
        var actions = new RandomSource(actionSeed);
        var observation = new float[task.ObservationSize];
        var trace = new List<double>();
        task.Reset(env, observation);
        for (int i = 0; i < steps; i++)
        {
            var step = task.Step(actions.NextInt(task.ActionCount), observation);
            trace.Add(step.Reward);
            trace.Add(step.Terminated ? 1 : 0);
            trace.Add(step.Truncated ? 1 : 0);
            foreach (float x in observation)
            {
                trace.Add(x);
            }

            if (step.EpisodeEnded)
            {
                task.Reset(env, observation);
            }
        }

        return trace;
    }

    private static void Drive(ITask task, RandomSource env, RandomSource actions, float[] observation, int steps)
    {
        task.Reset(env, observation);
        for (int i = 0; i < steps; i++)
        {
            if (task.Step(actions.NextInt(task.ActionCount), observation).EpisodeEnded)
            {
                task.Reset(env, observation);
            }
        }
    }
}
