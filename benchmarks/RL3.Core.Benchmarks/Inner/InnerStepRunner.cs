using RL3.Core.Inner;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>
/// Runs "one estimator step" (Observe + Estimate of the next state) from a fixed snapshot: each benchmark invocation
/// restores the estimator to the state it had after the warm-up prefix (an array copy, amortised over
/// <see cref="Steps"/> steps) and then takes the next <see cref="Steps"/> transitions of the stream.
/// </summary>
internal sealed class InnerStepRunner
{
    public const int Steps = 32;

    private readonly InnerTransition[] _next;
    private readonly double[] _q;
    private readonly double[] _se;
    private readonly double[] _n;

    public InnerStepRunner(InnerTransition[] stream, int prefix, int actions, IInnerRLEstimator[] snapshots)
    {
        _next = stream.AsSpan(prefix, Steps).ToArray();
        _q = new double[actions];
        _se = new double[actions];
        _n = new double[actions];
        foreach (var e in snapshots)
        {
            for (int t = 0; t < prefix; t++)
            {
                e.Observe(stream[t]);
            }
        }
    }

    public double Run(ModelBasedValueIteration work, ModelBasedValueIteration snapshot)
    {
        work.CopyFrom(snapshot);
        double sum = 0;
        foreach (ref readonly var t in _next.AsSpan())
        {
            work.Observe(t);
            sum += work.Estimate(t.NextState, _q, _se, _n).Value;
        }

        return sum;
    }

    public double Run(DenseValueIterationReference work, DenseValueIterationReference snapshot)
    {
        work.CopyFrom(snapshot);
        double sum = 0;
        foreach (ref readonly var t in _next.AsSpan())
        {
            work.Observe(t);
            sum += work.Estimate(t.NextState, _q, _se, _n).Value;
        }

        return sum;
    }
}
