using System.Diagnostics;

namespace RL3.Core.Benchmarks.Meta;

/// <summary>
/// Diagnostic (<c>step-probe TASK [REPEATS] [same]</c>): Stopwatch minimum over repeats of one RL³ step (sparse and the
/// dense baseline), the estimator's Observe alone, sweeps per step; <c>vibench</c> times the vi_bench.py 13x13 solve.
/// A third argument builds six fresh sparse scenarios in one process instead, which shows how much the timing depends
/// on where the arrays happen to land in memory (see docs/performance.md).
/// </summary>
internal static class StepProbe
{
    public static int Run(string[] args)
    {
        string task = args.Length > 0 ? args[0] : "grid-13x13";
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        if (task == "vibench")
        {
            var options = new RL3.Core.Inner.ModelBasedValueIterationOptions { Gamma = 0.95, Epsilon = 0.01, MaxSweeps = 350, LaplaceSmoothing = 0 };
            var sparse = new RL3.Core.Inner.ModelBasedValueIteration(169, 4, options);
            sparse.Reset(169);
            foreach (var t in Inner.InnerScenarios.ViBenchGrid()) sparse.Model.Add(t);
            double b = BestMicroseconds(repeats, null, sparse.Solve);

            Console.WriteLine($"vibench solve: {b:F1} µs, {sparse.LastSweepCount} sweeps");
            options.MaxSweeps = 1;
            var one = new RL3.Core.Inner.ModelBasedValueIteration(169, 4, options);
            one.Reset(169);
            foreach (var t in Inner.InnerScenarios.ViBenchGrid()) one.Model.Add(t);
            b = BestMicroseconds(repeats * 10, null, () => { for (int k = 0; k < 44; k++) one.Solve(); });

            Console.WriteLine($"44 one-sweep solves: {b:F1} µs");
            return 0;
        }

        foreach (bool dense in args.Length > 2 ? new[] { false, false, false, false, false, false } : new[] { false, true })
        {
            var scenario = new MetaStepScenario(task, dense);
            int h = 0;
            while (!scenario.Environment.IsDone) { scenario.Step(); h++; }
            double best = BestMicroseconds(repeats, null, () => { for (int i = 0; i < h; i++) scenario.Step(); }) / h;
            Console.WriteLine($"{task} dense={dense}: H={h}, best {best:F3} µs/step");
        }
        if (task.StartsWith("grid", StringComparison.Ordinal) || task.StartsWith("mdp", StringComparison.Ordinal))
        {
            ProbeSolve(task, repeats);
        }

        return 0;
    }

    private sealed class Recorder(RL3.Core.Inner.IInnerRLEstimator inner) : RL3.Core.Inner.IInnerRLEstimator
    {
        public List<RL3.Core.Inner.InnerTransition> Log { get; } = [];

        public int ActionCount => inner.ActionCount;

        public int StateCapacity => inner.StateCapacity;

        public bool ProvidesStandardErrors => inner.ProvidesStandardErrors;

        public void Reset(int fixedStateCount) { Log.Clear(); inner.Reset(fixedStateCount); }

        public void Observe(in RL3.Core.Inner.InnerTransition transition) { Log.Add(transition); inner.Observe(transition); }

        public RL3.Core.Inner.InnerValue Estimate(int state, Span<double> q, Span<double> standardErrorQ, Span<double> visitCounts) =>
            inner.Estimate(state, q, standardErrorQ, visitCounts);
    }

    private static void ProbeSolve(string task, int repeats)
    {
        // Record one meta-episode's transitions through the benchmark scenario, then replay them.
        Recorder? recorder = null;
        var scenario = new MetaStepScenario(task, denseBaseline: false, e => recorder = new Recorder(e));
        while (!scenario.Environment.IsDone)
        {
            scenario.Step();
        }

        var estimator = (RL3.Core.Inner.ModelBasedValueIteration)scenario.Estimator;
        int fixedStates = scenario.FixedStateCount;
        var log = recorder!.Log.ToArray();
        long sweeps = 0;
        estimator.Reset(fixedStates);
        foreach (var t in log) { estimator.Observe(t); sweeps += estimator.LastSweepCount; }
        Console.WriteLine($"  {log.Length} transitions, final n_s {estimator.Model.KnownStateCount}, triples {estimator.Model.ObservedTripleCount}, mean sweeps/step {(double)sweeps / log.Length:F2}");
        double best = BestMicroseconds(repeats, () => estimator.Reset(fixedStates), () => { foreach (var t in log) estimator.Observe(t); }) / log.Length;

        var model = new RL3.Core.Inner.LearnedTabularModel(estimator.StateCapacity, estimator.ActionCount, estimator.Model.LaplaceSmoothing);
        double bestAdd = BestMicroseconds(repeats, () => model.Reset(fixedStates), () => { foreach (var t in log) model.Add(t); }) / log.Length;

        Console.WriteLine($"  model.Add alone: {bestAdd:F3} µs/step");
        double bestSolve = BestMicroseconds(repeats, null, () => { for (int k = 0; k < 100; k++) estimator.Solve(); }) / 100;

        Console.WriteLine($"  re-solve of the final model (nothing new, {estimator.LastSweepCount} sweep(s), n_s {estimator.Model.KnownStateCount}): {bestSolve * 1000:F0} ns");
        Console.WriteLine($"  Observe (model update + solve) alone: {best:F3} µs/step; per sweep {best * log.Length / sweeps * 1000:F0} ns");
    }

    /// <summary>Minimum over <paramref name="repeats"/> of the Stopwatch time of <paramref name="work"/>, in µs (<paramref name="setup"/> untimed).</summary>
    private static double BestMicroseconds(int repeats, Action? setup, Action work)
    {
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            setup?.Invoke();
            long t0 = Stopwatch.GetTimestamp();
            work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }

        return best;
    }
}
