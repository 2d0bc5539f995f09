namespace RL3.Core.Training;

/// <summary>
/// One PPO iteration's experience: N meta-episodes of H steps, stored sequence-major (<c>[N, H]</c>, and
/// <c>[N, H + 1]</c> for observations and critic values, whose last entry is the state after step H).
/// </summary>
public sealed class RolloutBuffer
{
    /// <summary>Creates a buffer for <paramref name="sequences"/> meta-episodes of <paramref name="horizon"/> steps.</summary>
    /// <param name="sequences">N (≥ 1).</param>
    /// <param name="horizon">H (≥ 1).</param>
    /// <param name="observationSize">Observation size (≥ 1).</param>
    public RolloutBuffer(int sequences, int horizon, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        SequenceCount = sequences;
        Horizon = horizon;
        ObservationSize = observationSize;
        Observations = new float[sequences * (horizon + 1) * observationSize];
        Actions = new int[sequences * horizon];
        LogProbabilities = new float[sequences * horizon];
        Values = new float[sequences * (horizon + 1)];
        Rewards = new float[sequences * horizon];
        Terminals = new bool[sequences * horizon];
        Advantages = new float[sequences * horizon];
        Returns = new float[sequences * horizon];
    }

    /// <summary>N.</summary>
    public int SequenceCount { get; }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>Observation size.</summary>
    public int ObservationSize { get; }

    /// <summary>Observations <c>[N, H + 1, obs]</c>: o_1 … o_{H+1} of each meta-episode.</summary>
    public float[] Observations { get; }

    /// <summary>Actions <c>[N, H]</c>.</summary>
    public int[] Actions { get; }

    /// <summary>Log-probabilities of the actions under the acting policy <c>[N, H]</c>.</summary>
    public float[] LogProbabilities { get; }

    /// <summary>Critic values <c>[N, H + 1]</c> (the last one bootstraps the final step unless it is terminal).</summary>
    public float[] Values { get; }

    /// <summary>Rewards <c>[N, H]</c>.</summary>
    public float[] Rewards { get; }

    /// <summary>Terminal flags <c>[N, H]</c> (in meta-training: true at t = H only).</summary>
    public bool[] Terminals { get; }

    /// <summary>GAE advantages <c>[N, H]</c>, filled by <see cref="ComputeAdvantages"/>.</summary>
    public float[] Advantages { get; }

    /// <summary>Critic targets <c>[N, H]</c> (advantage + value), filled by <see cref="ComputeAdvantages"/>.</summary>
    public float[] Returns { get; }

    /// <summary>The observation of sequence <paramref name="sequence"/> at step <paramref name="step"/> (0 … H).</summary>
    /// <param name="sequence">The sequence index.</param>
    /// <param name="step">The step index.</param>
    /// <returns>A writable span of length <see cref="ObservationSize"/>.</returns>
    public Span<float> ObservationAt(int sequence, int step) =>
        Observations.AsSpan(((sequence * (Horizon + 1)) + step) * ObservationSize, ObservationSize);

    /// <summary>Computes GAE advantages and critic targets for every sequence (<see cref="Gae"/>).</summary>
    /// <param name="gamma">γ in [0, 1].</param>
    /// <param name="lambda">λ in [0, 1].</param>
    public void ComputeAdvantages(double gamma, double lambda)
    {
        int h = Horizon;
        for (int n = 0; n < SequenceCount; n++)
        {
            Gae.Compute(
                Rewards.AsSpan(n * h, h),
                Values.AsSpan(n * (h + 1), h + 1),
                Terminals.AsSpan(n * h, h),
                gamma,
                lambda,
                Advantages.AsSpan(n * h, h),
                Returns.AsSpan(n * h, h));
        }
    }

    /// <summary>Sum of rewards of each meta-episode (its score).</summary>
    /// <param name="destination">Receives N returns.</param>
    public void EpisodeReturns(Span<double> destination)
    {
        if (destination.Length != SequenceCount)
        {
            throw new ArgumentException($"destination must have length N = {SequenceCount}; was {destination.Length}.", nameof(destination));
        }

        for (int n = 0; n < SequenceCount; n++)
        {
            double sum = 0;
            foreach (float r in Rewards.AsSpan(n * Horizon, Horizon))
            {
                sum += r;
            }

            destination[n] = sum;
        }
    }

    /// <summary>
    /// The fraction of the critic targets' variance that the critic values explain: 1 − Var(R − V)/Var(R)
    /// (1 is perfect, ≤ 0 no better than a constant; NaN when the targets have no variance).
    /// </summary>
    /// <returns>The explained variance.</returns>
    public double ExplainedVariance()
    {
        int h = Horizon;
        double meanR = 0, meanD = 0;
        int count = SequenceCount * h;
        for (int n = 0; n < SequenceCount; n++)
        {
            for (int t = 0; t < h; t++)
            {
                double r = Returns[n * h + t];
                meanR += r;
                meanD += r - Values[n * (h + 1) + t];
            }
        }

        meanR /= count;
        meanD /= count;
        double varR = 0, varD = 0;
        for (int n = 0; n < SequenceCount; n++)
        {
            for (int t = 0; t < h; t++)
            {
                double r = Returns[n * h + t];
                double d = r - Values[n * (h + 1) + t];
                varR += (r - meanR) * (r - meanR);
                varD += (d - meanD) * (d - meanD);
            }
        }

        return varR == 0 ? double.NaN : 1 - varD / varR;
    }
}
