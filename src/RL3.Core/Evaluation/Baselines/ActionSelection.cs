using RL3.Core.Randomness;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Arg-max with ties broken uniformly at random (draws only when there is a tie).</summary>
internal static class ActionSelection
{
    /// <summary>Index of the largest value; among equal maxima one is chosen uniformly at random.</summary>
    public static int ArgMaxRandomTies(ReadOnlySpan<double> values, RandomSource random)
    {
        double best = double.NegativeInfinity;
        int count = 0;
        int first = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v > best)
            {
                best = v;
                count = 1;
                first = i;
            }
            else if (v == best)
            {
                count++;
            }
        }

        return count <= 1 ? first : NthMax(values, best, random.NextInt(count));
    }

    /// <summary>Same as the double overload, for float values.</summary>
    public static int ArgMaxRandomTies(ReadOnlySpan<float> values, RandomSource random)
    {
        float best = float.NegativeInfinity;
        int count = 0;
        int first = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (v > best)
            {
                best = v;
                count = 1;
                first = i;
            }
            else if (v == best)
            {
                count++;
            }
        }

        if (count <= 1)
        {
            return first;
        }

        int k = random.NextInt(count);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == best && k-- == 0)
            {
                return i;
            }
        }

        return first;
    }

    private static int NthMax(ReadOnlySpan<double> values, double best, int k)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == best && k-- == 0)
            {
                return i;
            }
        }

        return 0;
    }
}
