using RL3.Core.Inner;
using RL3.Core.Randomness;

namespace RL3.Core.Tests.Inner;

/// <summary>Random transition sequences for the inner-estimator tests.</summary>
internal static class InnerTestData
{
    /// <summary>
    /// A random sequence over a fixed state count (<paramref name="fixedStates"/> &gt; 0) or over rows discovered in
    /// first-visit order (<paramref name="fixedStates"/> = 0, at most <paramref name="capacity"/> rows). Some next
    /// states are absorbing; a few transitions start from absorbing states (as clustering can produce).
    /// </summary>
    public static InnerTransition[] RandomSequence(ulong seed, int length, int fixedStates, int capacity, int actions, double absorbingProbability = 0.08)
    {
        var rng = new RandomSource(seed);
        var result = new InnerTransition[length];
        int known = fixedStates > 0 ? fixedStates : 1;
        int limit = fixedStates > 0 ? fixedStates : capacity;
        int s = 0;
        var absorbing = new bool[limit];
        var rewardLevels = new double[limit * actions * limit];
        for (int i = 0; i < rewardLevels.Length; i++)
        {
            rewardLevels[i] = Math.Round(rng.NextGaussian() * 3, 1);
        }

        bool episodeStart = true;
        for (int t = 0; t < length; t++)
        {
            int a = rng.NextInt(actions);
            int next;
            if (fixedStates == 0 && known < limit && rng.NextDouble() < 0.3)
            {
                next = known++;
            }
            else
            {
                // Concentrate mass on a few successors per (s,a) so that counts repeat.
                next = rng.NextDouble() < 0.7 ? ((s * 7) + (a * 3) + rng.NextInt(2)) % known : rng.NextInt(known);
            }

            bool absorb = absorbing[next] || rng.NextDouble() < absorbingProbability;
            absorbing[next] |= absorb;
            double noise = rng.NextDouble() < 0.5 ? 0 : Math.Round(rng.NextGaussian(), 2);
            double r = rewardLevels[(((s * actions) + a) * limit) + next] + noise;
            result[t] = new InnerTransition(s, a, r, next, absorb, episodeStart);
            episodeStart = absorb || rng.NextDouble() < 0.05;
            s = episodeStart ? (rng.NextDouble() < 0.03 ? rng.NextInt(known) : 0) : next;
        }

        return result;
    }
}
