using System.Globalization;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// Checks that an <see cref="IMetaPolicy"/> (a user's own or a built-in one, on any engine) honours the contract the
/// trainer relies on, and reports every check's outcome instead of throwing.
/// </summary>
/// <remarks>
/// The checks feed the policy random observations in [−1, 1], random actions and random loss derivatives, all from
/// <see cref="PolicyCheckOptions.Seed"/>; they change the weights on the way (an optimiser step) and restore them at
/// the end, so the policy is left as it was. Checks:
/// <list type="bullet">
/// <item><see cref="ShapeCheck"/>: positive observation size, action count and sequence limit; a new state has the
/// asked-for slots, all at position 0.</item>
/// <item><see cref="ActingCheck"/>: acting step by step with three slots, two of them reset at different times,
/// gives the same log-probabilities and values (within <see cref="PolicyCheckOptions.Tolerance"/>) as
/// <see cref="IMetaPolicy.EvaluateSequences"/> over each slot's history since its last reset; actions are in range,
/// entropies in [0, log A].</item>
/// <item><see cref="ResetCheck"/>: <see cref="IMetaPolicyState.Reset"/> moves one slot back to position 0 and leaves
/// the others alone; a reset slot acts exactly like a fresh state's slot; <see cref="IMetaPolicyState.ResetAll"/>
/// resets every slot.</item>
/// <item><see cref="GradientCheck"/>: after <see cref="IPolicyOptimizer.ZeroGrad"/> the gradients are zero; after
/// <see cref="IMetaPolicy.BackwardSequences"/> they are finite and not all zero; an optimiser step changes the
/// parameters and leaves them finite.</item>
/// <item><see cref="SaveLoadCheck"/>: after save, an optimiser step and load, the parameters are bit-identical to the
/// saved ones, acting gives bit-identical outputs, and saving again writes the same bytes.</item>
/// </list>
/// </remarks>
public static class PolicyChecker
{
    /// <summary>Name of the shape check.</summary>
    public const string ShapeCheck = "shape";

    /// <summary>Name of the check that step-by-step acting equals the whole-sequence pass.</summary>
    public const string ActingCheck = "acting-equals-sequence";

    /// <summary>Name of the per-slot reset check.</summary>
    public const string ResetCheck = "resets";

    /// <summary>Name of the gradient check.</summary>
    public const string GradientCheck = "gradients";

    /// <summary>Name of the save/load round-trip check.</summary>
    public const string SaveLoadCheck = "save-load";

    private const int Slots = 3;

    /// <summary>Runs every check on <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy to check; its weights are the same afterwards.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <returns>The report (never throws because a check fails).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public static CheckReport Check(IMetaPolicy policy, PolicyCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new PolicyCheckOptions();
        Guard.AtLeast(options.Steps, 8, "options.Steps");
        Guard.Positive(options.Tolerance, "options.Tolerance");

        var checker = new Context(policy, options);
        byte[]? original = null;
        var results = new List<CheckResult> { CheckResult.Run(ShapeCheck, checker.CheckShape) };
        try
        {
            original = Save(policy);
        }
#pragma warning disable CA1031 // A checker reports whatever the user's policy throws instead of crashing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            results.Add(new CheckResult(SaveLoadCheck, false, $"Save threw {e.GetType().Name}: {e.Message}"));
        }

        results.Add(CheckResult.Run(ActingCheck, checker.CheckActing));
        results.Add(CheckResult.Run(ResetCheck, checker.CheckResets));
        results.Add(CheckResult.Run(GradientCheck, checker.CheckGradients));
        if (original is not null)
        {
            results.Add(CheckResult.Run(SaveLoadCheck, checker.CheckSaveLoad));
            try
            {
                Load(policy, original);
            }
#pragma warning disable CA1031
            catch
#pragma warning restore CA1031
            {
                // The save-load check already reports a policy that cannot load its own file.
            }
        }

        return new CheckReport("Policy", policy.GetType().Name, results.AsReadOnly());
    }


    private static byte[] Save(IMetaPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.Save(stream);
        return stream.ToArray();
    }

    private static void Load(IMetaPolicy policy, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        policy.Load(stream);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Fail(string message) => CheckResult.Fail(message);


    private sealed class Context(IMetaPolicy policy, PolicyCheckOptions options)
    {
        private readonly int _m = policy.ObservationSize;
        private readonly int _a = policy.ActionCount;

        public string CheckShape()
        {
            if (_m < 1 || _a < 1 || policy.MaxSequenceLength < 1)
            {
                Fail(Invariant($"ObservationSize {_m}, ActionCount {_a} and MaxSequenceLength {policy.MaxSequenceLength} must all be at least 1"));
            }

            var state = policy.CreateState(Slots);
            if (state.Slots != Slots)
            {
                Fail(Invariant($"CreateState({Slots}) returned a state of {state.Slots} slots"));
            }

            for (int s = 0; s < Slots; s++)
            {
                if (state.GetPosition(s) != 0)
                {
                    Fail(Invariant($"a new state's slot {s} is at position {state.GetPosition(s)}, not 0"));
                }
            }

            return Invariant($"observation size {_m}, {_a} actions, sequences up to {(policy.MaxSequenceLength == int.MaxValue ? "any length" : policy.MaxSequenceLength.ToString(CultureInfo.InvariantCulture))}");
        }

        public string CheckActing()
        {
            int steps = Math.Min(options.Steps, policy.MaxSequenceLength);
            (int Slot, int At)[] resets = [(1, 4), (2, 3), (2, 8)];
            var random = new RandomSource(options.Seed);
            var sampler = new RandomSource(options.Seed + 1);
            var state = policy.CreateState(Slots);
            var segments = new List<Segment>[Slots];
            for (int s = 0; s < Slots; s++)
            {
                segments[s] = [new Segment()];
            }

            var actions = new int[Slots];
            var logp = new float[Slots];
            var values = new float[Slots];
            for (int t = 0; t < steps; t++)
            {
                foreach (var (slot, at) in resets)
                {
                    if (t == at)
                    {
                        state.Reset(slot);
                        segments[slot].Add(new Segment());
                    }
                }

                var obs = Observations(random, Slots * _m);
                policy.Act(state, obs, ActionSelection.Sample, sampler, actions, logp, values);
                for (int s = 0; s < Slots; s++)
                {
                    if ((uint)actions[s] >= (uint)_a || !float.IsFinite(logp[s]) || logp[s] > 1e-6f || !float.IsFinite(values[s]))
                    {
                        Fail(Invariant($"step {t}, slot {s}: action {actions[s]}, log-probability {logp[s]}, value {values[s]} (need an action in [0, {_a}), a finite log-probability ≤ 0 and a finite value)"));
                    }

                    var segment = segments[s][^1];
                    segment.Observations.AddRange(obs.AsSpan(s * _m, _m).ToArray());
                    segment.Actions.Add(actions[s]);
                    segment.LogProbabilities.Add(logp[s]);
                    segment.Values.Add(values[s]);
                    if (state.GetPosition(s) != segment.Actions.Count)
                    {
                        Fail(Invariant($"step {t}, slot {s}: the state is at position {state.GetPosition(s)} after {segment.Actions.Count} steps since the last reset"));
                    }
                }
            }

            double largest = 0;
            double maxEntropy = Math.Log(_a) + 1e-5;
            for (int s = 0; s < Slots; s++)
            {
                foreach (var segment in segments[s])
                {
                    int n = segment.Actions.Count;
                    var lp = new float[n];
                    var entropy = new float[n];
                    var v = new float[n];
                    policy.EvaluateSequences(segment.Observations.ToArray(), segment.Actions.ToArray(), 1, n, lp, entropy, v);
                    for (int t = 0; t < n; t++)
                    {
                        double dl = Math.Abs(lp[t] - segment.LogProbabilities[t]);
                        double dv = Math.Abs(v[t] - segment.Values[t]);
                        largest = Math.Max(largest, Math.Max(dl, dv));
                        if (!(dl <= options.Tolerance) || !(dv <= options.Tolerance))
                        {
                            Fail(Invariant($"slot {s}, step {t} of a history of {n}: acting gave log-probability {segment.LogProbabilities[t]} and value {segment.Values[t]}, the sequence pass {lp[t]} and {v[t]} (tolerance {options.Tolerance})"));
                        }

                        if (!(entropy[t] >= 0 && entropy[t] <= maxEntropy))
                        {
                            Fail(Invariant($"slot {s}, step {t}: entropy {entropy[t]} is outside [0, log {_a}]"));
                        }
                    }
                }
            }

            return Invariant($"{Slots} slots × {steps} steps, slots 1 and 2 reset at different steps: acting equals the sequence pass (largest difference {largest:G3})");
        }

        public string CheckResets()
        {
            var random = new RandomSource(options.Seed + 2);
            var first = Observations(random, Slots * _m);
            var fresh = policy.CreateState(Slots);
            var freshOut = Act(fresh, first);

            var state = policy.CreateState(Slots);
            for (int t = 0; t < 3; t++)
            {
                Act(state, Observations(random, Slots * _m));
            }

            state.Reset(1);
            if (state.GetPosition(1) != 0 || state.GetPosition(0) != 3 || state.GetPosition(2) != 3)
            {
                Fail(Invariant($"after 3 steps and Reset(1) the positions are {state.GetPosition(0)}, {state.GetPosition(1)}, {state.GetPosition(2)} (expected 3, 0, 3)"));
            }

            var resetOut = Act(state, first);
            if (resetOut.Actions[1] != freshOut.Actions[1]
                || !(Math.Abs(resetOut.LogProbabilities[1] - freshOut.LogProbabilities[1]) <= options.Tolerance)
                || !(Math.Abs(resetOut.Values[1] - freshOut.Values[1]) <= options.Tolerance))
            {
                Fail(Invariant($"a reset slot does not act like a fresh one: action {resetOut.Actions[1]}, log-probability {resetOut.LogProbabilities[1]}, value {resetOut.Values[1]} vs {freshOut.Actions[1]}, {freshOut.LogProbabilities[1]}, {freshOut.Values[1]} (the slot keeps history across Reset)"));
            }

            state.ResetAll();
            for (int s = 0; s < Slots; s++)
            {
                if (state.GetPosition(s) != 0)
                {
                    Fail(Invariant($"after ResetAll slot {s} is at position {state.GetPosition(s)}"));
                }
            }

            var allOut = Act(state, first);
            for (int s = 0; s < Slots; s++)
            {
                if (allOut.Actions[s] != freshOut.Actions[s] || !(Math.Abs(allOut.Values[s] - freshOut.Values[s]) <= options.Tolerance))
                {
                    Fail(Invariant($"after ResetAll slot {s} does not act like a fresh state's slot (value {allOut.Values[s]} vs {freshOut.Values[s]})"));
                }
            }

            return "Reset(slot) clears one slot and leaves the others; a reset slot acts like a fresh one; ResetAll clears every slot";
        }

        public string CheckGradients()
        {
            using var optimizer = policy.CreateOptimizer(new PolicyOptimizerSettings());
            int count = optimizer.ParameterCount;
            if (count < 1)
            {
                Fail(Invariant($"the optimiser reports {count} parameters"));
            }

            var gradients = new float[count];
            optimizer.ZeroGrad();
            optimizer.CopyGradientsTo(gradients);
            if (gradients.Any(g => g != 0))
            {
                Fail("gradients are not zero after ZeroGrad");
            }

            Backward(optimizer, new RandomSource(options.Seed + 3));
            optimizer.CopyGradientsTo(gradients);
            int bad = Array.FindIndex(gradients, g => !float.IsFinite(g));
            if (bad >= 0)
            {
                Fail(Invariant($"gradient {bad} of {count} is {gradients[bad]} after BackwardSequences"));
            }

            if (gradients.All(g => g == 0))
            {
                Fail("every gradient is zero after BackwardSequences with non-zero loss derivatives");
            }

            double norm = optimizer.GradientNorm(PolicyParameterGroups.All);
            var before = new float[count];
            optimizer.CopyParametersTo(before);
            optimizer.Step(PolicyParameterGroups.All);
            var after = new float[count];
            optimizer.CopyParametersTo(after);
            bad = Array.FindIndex(after, p => !float.IsFinite(p));
            if (bad >= 0)
            {
                Fail(Invariant($"parameter {bad} is {after[bad]} after an optimiser step"));
            }

            if (after.AsSpan().SequenceEqual(before))
            {
                Fail("an optimiser step changed no parameter");
            }

            return Invariant($"{count} parameters: zeroed, finite after backward (norm {norm:G4}), changed and finite after a step");
        }

        public string CheckSaveLoad()
        {
            byte[] saved = Save(policy);
            var (actions, logp, values) = ActSequence();
            using var optimizer = policy.CreateOptimizer(new PolicyOptimizerSettings { LearningRate = 1e-2 });
            var parameters = new float[optimizer.ParameterCount];
            optimizer.CopyParametersTo(parameters);
            Backward(optimizer, new RandomSource(options.Seed + 4));
            optimizer.Step(PolicyParameterGroups.All);

            Load(policy, saved);
            var loaded = new float[optimizer.ParameterCount];
            optimizer.CopyParametersTo(loaded);
            for (int i = 0; i < loaded.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(loaded[i]) != BitConverter.SingleToInt32Bits(parameters[i]))
                {
                    Fail(Invariant($"after Load parameter {i} is {loaded[i]}, the saved value was {parameters[i]}"));
                }
            }

            var again = ActSequence();
            if (!again.Actions.AsSpan().SequenceEqual(actions) || !again.LogProbabilities.AsSpan().SequenceEqual(logp) || !again.Values.AsSpan().SequenceEqual(values))
            {
                Fail("acting after Load differs from acting before Save");
            }

            if (!Save(policy).AsSpan().SequenceEqual(saved))
            {
                Fail("saving the loaded policy writes different bytes");
            }

            return Invariant($"{saved.Length} bytes: load restores every parameter bit for bit, acting repeats exactly, saving again writes the same bytes");
        }

        private (int[] Actions, float[] LogProbabilities, float[] Values) Act(IMetaPolicyState state, float[] observations)
        {
            var actions = new int[Slots];
            var logp = new float[Slots];
            var values = new float[Slots];
            policy.Act(state, observations, ActionSelection.Greedy, null, actions, logp, values);
            return (actions, logp, values);
        }

        private (int[] Actions, float[] LogProbabilities, float[] Values) ActSequence()
        {
            int steps = Math.Min(5, policy.MaxSequenceLength);
            var random = new RandomSource(options.Seed + 5);
            var sampler = new RandomSource(options.Seed + 6);
            var state = policy.CreateState(Slots);
            var actions = new int[Slots * steps];
            var logp = new float[Slots * steps];
            var values = new float[Slots * steps];
            for (int t = 0; t < steps; t++)
            {
                policy.Act(state, Observations(random, Slots * _m), ActionSelection.Sample, sampler,
                    actions.AsSpan(t * Slots, Slots), logp.AsSpan(t * Slots, Slots), values.AsSpan(t * Slots, Slots));
            }

            return (actions, logp, values);
        }

        private void Backward(IPolicyOptimizer optimizer, RandomSource random)
        {
            const int Sequences = 2;
            int steps = Math.Min(4, policy.MaxSequenceLength);
            int n = Sequences * steps;
            var obs = Observations(random, n * _m);
            var actions = new int[n];
            for (int i = 0; i < n; i++)
            {
                actions[i] = random.NextInt(_a);
            }

            var dl = Observations(random, n);
            var dh = Observations(random, n);
            var dv = Observations(random, n);
            var lp = new float[n];
            var entropy = new float[n];
            var v = new float[n];
            policy.EvaluateSequences(obs, actions, Sequences, steps, lp, entropy, v);
            optimizer.ZeroGrad();
            policy.BackwardSequences(dl, dh, dv);
        }

        private static float[] Observations(RandomSource random, int count)
        {
            var values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)((2 * random.NextDouble()) - 1);
            }

            return values;
        }
    }

    private sealed class Segment
    {
        public List<float> Observations { get; } = [];

        public List<int> Actions { get; } = [];

        public List<float> LogProbabilities { get; } = [];

        public List<float> Values { get; } = [];
    }
}
