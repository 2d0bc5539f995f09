using RL3.Core.Nn;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tests.Nn;

namespace RL3.Core.Tests.Policies;

/// <summary>Checks every <see cref="IMetaPolicy"/> implementation must pass.</summary>
internal static class PolicyTestKit
{
    public static float[] RandomObservations(RandomSource rng, int count)
    {
        var o = new float[count];
        for (int i = 0; i < o.Length; i++)
        {
            o[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        return o;
    }

    /// <summary>
    /// Acts with 3 slots for <paramref name="steps"/> steps, resetting slot 1 at step 4 and slot 2 at steps 3 and 8, then
    /// re-evaluates every slot's history since each reset as one sequence: log-probabilities and values must agree.
    /// </summary>
    public static void IncrementalActingEqualsSequenceEvaluation(IMetaPolicy policy, int steps = 12, float tolerance = 1e-4f)
    {
        const int N = 3;
        int m = policy.ObservationSize;
        var rng = new RandomSource(77);
        var sampler = new RandomSource(78);
        var state = policy.CreateState(N);
        var segments = new List<(List<float> Obs, List<int> Act, List<float> LogP, List<float> Value)>[N];
        for (int s = 0; s < N; s++)
        {
            segments[s] = [([], [], [], [])];
        }

        var actions = new int[N];
        var logp = new float[N];
        var values = new float[N];
        for (int t = 0; t < steps; t++)
        {
            foreach (var (slot, at) in new[] { (1, 4), (2, 3), (2, 8) })
            {
                if (t == at)
                {
                    state.Reset(slot);
                    segments[slot].Add(([], [], [], []));
                }
            }

            var obs = RandomObservations(rng, N * m);
            policy.Act(state, obs, ActionSelection.Sample, sampler, actions, logp, values);
            for (int s = 0; s < N; s++)
            {
                var seg = segments[s][^1];
                seg.Obs.AddRange(obs.AsSpan(s * m, m).ToArray());
                seg.Act.Add(actions[s]);
                seg.LogP.Add(logp[s]);
                seg.Value.Add(values[s]);
                Assert.That(state.GetPosition(s), Is.EqualTo(seg.Act.Count));
            }
        }

        for (int s = 0; s < N; s++)
        {
            foreach (var seg in segments[s])
            {
                int len = seg.Act.Count;
                var lp = new float[len];
                var ent = new float[len];
                var v = new float[len];
                policy.EvaluateSequences(seg.Obs.ToArray(), seg.Act.ToArray(), 1, len, lp, ent, v);
                for (int t = 0; t < len; t++)
                {
                    Assert.That(seg.LogP[t], Is.EqualTo(lp[t]).Within(tolerance), $"slot {s}, step {t} of a segment of {len}: log-probability");
                    Assert.That(seg.Value[t], Is.EqualTo(v[t]).Within(tolerance), $"slot {s}, step {t} of a segment of {len}: value");
                    Assert.That(ent[t], Is.GreaterThanOrEqualTo(0f).And.LessThanOrEqualTo(MathF.Log(policy.ActionCount) + 1e-5f));
                }
            }
        }
    }

    /// <summary>Finite-difference check of <see cref="IMetaPolicy.BackwardSequences"/> on a few entries of every parameter tensor.</summary>
    public static void BackwardMatchesFiniteDifferences(IMetaPolicy policy, int sequences = 2, int steps = 4, int samplesPerTensor = 3)
    {
        var rng = new RandomSource(91);
        int n = sequences * steps;

        // Move every parameter off its initial value (zero biases put ReLU inputs exactly on the kink for rows whose
        // previous layer is all zero).
        foreach (var p in Parameters(policy).Select(kv => kv.Value))
        {
            var span = p.Value.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] += (float)(0.1 * ((2 * rng.NextDouble()) - 1));
            }
        }

        var obs = RandomObservations(rng, n * policy.ObservationSize);
        var act = new int[n];
        var gl = new float[n];
        var gh = new float[n];
        var gv = new float[n];
        for (int i = 0; i < n; i++)
        {
            act[i] = rng.NextInt(policy.ActionCount);
            gl[i] = (float)((2 * rng.NextDouble()) - 1);
            gh[i] = (float)((2 * rng.NextDouble()) - 1);
            gv[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        var lp = new float[n];
        var ent = new float[n];
        var v = new float[n];
        double Loss()
        {
            policy.EvaluateSequences(obs, act, sequences, steps, lp, ent, v);
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += ((double)gl[i] * lp[i]) + ((double)gh[i] * ent[i]) + ((double)gv[i] * v[i]);
            }

            return s;
        }

        Loss();
        policy.ZeroGrad();
        policy.BackwardSequences(gl, gh, gv);
        int k = 0;
        foreach (var p in Parameters(policy).Select(kv => kv.Value))
        {
            var grad = p.Gradient.Span.ToArray();
            FiniteDifferences.Check($"parameter {k++} ({p})", p.Length, i => ref p.Value.Span[i], grad, Loss, rng, samples: samplesPerTensor, h: 2e-3, rtol: 3e-2, atol: 2e-3, skipKinks: true);
        }
    }

    public static (int[] Actions, float[] LogP, float[] Values) ActSequence(IMetaPolicy policy, int slots, int steps, ulong seed)
    {
        var rng = new RandomSource(seed);
        var sampler = new RandomSource(seed + 1);
        var state = policy.CreateState(slots);
        var actions = new int[slots * steps];
        var logp = new float[slots * steps];
        var values = new float[slots * steps];
        for (int t = 0; t < steps; t++)
        {
            var obs = RandomObservations(rng, slots * policy.ObservationSize);
            policy.Act(state, obs, ActionSelection.Sample, sampler, actions.AsSpan(t * slots, slots), logp.AsSpan(t * slots, slots), values.AsSpan(t * slots, slots));
        }

        return (actions, logp, values);
    }

    /// <summary>Acting, evaluation and gradients of a parallel policy are bit-identical to a serial one.</summary>
    public static void ParallelIsBitIdenticalToSerial(IMetaPolicy serial, IMetaPolicy parallel)
    {
        var a = ActSequence(serial, 6, 20, 4);
        var b = ActSequence(parallel, 6, 20, 4);
        Assert.That(b.Actions, Is.EqualTo(a.Actions));
        Assert.That(b.LogP, Is.EqualTo(a.LogP));
        Assert.That(b.Values, Is.EqualTo(a.Values));
        float[] Gradients(IMetaPolicy p)
        {
            var rng = new RandomSource(5);
            const int B = 3, T = 20;
            var obs = RandomObservations(rng, B * T * p.ObservationSize);
            var act = new int[B * T];
            var g = RandomObservations(rng, B * T);
            var lp = new float[B * T];
            var ent = new float[B * T];
            var v = new float[B * T];
            p.EvaluateSequences(obs, act, B, T, lp, ent, v);
            p.ZeroGrad();
            p.BackwardSequences(g, g, g);
            return [.. lp, .. v, .. Parameters(p).SelectMany(kv => kv.Value.Gradient.Span.ToArray())];
        }

        Assert.That(Gradients(parallel), Is.EqualTo(Gradients(serial)));
    }

    public static void SameSeedIsDeterministic(Func<ulong, IMetaPolicy> create)
    {
        using var a = create(5);
        using var b = create(5);
        using var c = create(6);
        var pa = Parameters(a).Select(kv => kv.Value).SelectMany(p => p.Value.Span.ToArray()).ToArray();
        var pb = Parameters(b).Select(kv => kv.Value).SelectMany(p => p.Value.Span.ToArray()).ToArray();
        var pc = Parameters(c).Select(kv => kv.Value).SelectMany(p => p.Value.Span.ToArray()).ToArray();
        Assert.That(pb, Is.EqualTo(pa));
        Assert.That(pc, Is.Not.EqualTo(pa));
        var ra = ActSequence(a, 4, 6, 3);
        var rb = ActSequence(b, 4, 6, 3);
        Assert.That(rb.Actions, Is.EqualTo(ra.Actions));
        Assert.That(rb.LogP, Is.EqualTo(ra.LogP));
        Assert.That(rb.Values, Is.EqualTo(ra.Values));
    }

    public static void SaveLoadRoundTripIsBitIdentical(Func<ulong, IMetaPolicy> create)
    {
        using var a = create(1);
        using var b = create(2);
        using var stream = new MemoryStream();
        a.Save(stream);
        stream.Position = 0;
        b.Load(stream);
        var pa = Parameters(a).Select(kv => kv.Value).ToList();
        var pb = Parameters(b).Select(kv => kv.Value).ToList();
        Assert.That(pb, Has.Count.EqualTo(pa.Count));
        for (int i = 0; i < pa.Count; i++)
        {
            var x = pa[i].Value.Span.ToArray().Select(BitConverter.SingleToInt32Bits);
            var y = pb[i].Value.Span.ToArray().Select(BitConverter.SingleToInt32Bits);
            Assert.That(y, Is.EqualTo(x), $"parameter {i}");
        }

        var ra = ActSequence(a, 3, 5, 9);
        var rb = ActSequence(b, 3, 5, 9);
        Assert.That(rb.LogP, Is.EqualTo(ra.LogP));
        Assert.That(rb.Values, Is.EqualTo(ra.Values));
    }

    public static void ActIsAllocationFreeInSteadyState(IMetaPolicy policy, int slots = 8)
    {
        var state = policy.CreateState(slots);
        var rng = new RandomSource(1);
        var obs = RandomObservations(rng, slots * policy.ObservationSize);
        var actions = new int[slots];
        var logp = new float[slots];
        var values = new float[slots];
        for (int i = 0; i < 3; i++)
        {
            policy.Act(state, obs, ActionSelection.Sample, rng, actions, logp, values);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            policy.Act(state, obs, i % 2 == 0 ? ActionSelection.Sample : ActionSelection.Greedy, rng, actions, logp, values);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    public static void BadArgumentsAreRejected(IMetaPolicy policy, IMetaPolicy other)
    {
        var state = policy.CreateState(2);
        int m = policy.ObservationSize;
        var rng = new RandomSource(1);
        var a = new int[2];
        var l = new float[2];
        var v = new float[2];
        var e1 = Assert.Throws<ArgumentException>(() => policy.Act(state, new float[(2 * m) + 1], ActionSelection.Sample, rng, a, l, v));
        Assert.That(e1!.ParamName, Is.EqualTo("observations"));
        Assert.That(e1.Message, Does.Contain("ObservationSize"));
        var e2 = Assert.Throws<ArgumentException>(() => policy.Act(state, new float[2 * m], ActionSelection.Sample, rng, new int[3], l, v));
        Assert.That(e2!.ParamName, Is.EqualTo("actions"));
        var e3 = Assert.Throws<ArgumentException>(() => policy.Act(other.CreateState(2), new float[2 * m], ActionSelection.Sample, rng, a, l, v));
        Assert.That(e3!.ParamName, Is.EqualTo("state"));
        var e4 = Assert.Throws<ArgumentNullException>(() => policy.Act(state, new float[2 * m], ActionSelection.Sample, null, a, l, v));
        Assert.That(e4!.ParamName, Is.EqualTo("random"));
        var e5 = Assert.Throws<ArgumentException>(() => policy.EvaluateSequences(new float[(6 * m) - 1], new int[6], 2, 3, new float[6], new float[6], new float[6]));
        Assert.That(e5!.ParamName, Is.EqualTo("observations"));
        var e6 = Assert.Throws<ArgumentOutOfRangeException>(() => policy.EvaluateSequences(new float[6 * m], [0, 0, 0, 0, 0, policy.ActionCount], 2, 3, new float[6], new float[6], new float[6]));
        Assert.That(e6!.ParamName, Is.EqualTo("actions"));
        var e7 = Assert.Throws<InvalidOperationException>(() => policy.BackwardSequences(new float[6], new float[6], new float[6]));
        Assert.That(e7!.Message, Does.Contain("EvaluateSequences"));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Reset(2));
    }

    public static void ActorAndCriticParametersAreDisjoint(IMetaPolicy policy)
    {
        var inHouse = (IInHousePolicy)policy;
        Assert.That(inHouse.ActorParameters, Is.Not.Empty);
        Assert.That(inHouse.CriticParameters, Is.Not.Empty);
        Assert.That(inHouse.ActorParameters.Select(p => p.Value).Intersect(inHouse.CriticParameters.Select(p => p.Value)), Is.Empty);
        Assert.That(inHouse.ActorParameters.Select(p => p.Key), Is.All.StartsWith("actor."));
        Assert.That(inHouse.CriticParameters.Select(p => p.Key), Is.All.StartsWith("critic."));
    }

    /// <summary>Every actor and critic parameter of a built-in (in-house engine) policy, actor first.</summary>
    public static IEnumerable<KeyValuePair<string, Parameter>> Parameters(IMetaPolicy policy)
    {
        var inHouse = (IInHousePolicy)policy;
        return inHouse.ActorParameters.Concat(inHouse.CriticParameters);
    }
}
