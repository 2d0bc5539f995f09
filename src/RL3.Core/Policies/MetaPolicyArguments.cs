namespace RL3.Core.Policies;

/// <summary>
/// The argument contract of <see cref="IMetaPolicy"/>'s calls, checked the same way by every engine (the in-house
/// policies and the TorchSharp backend) and available to authors of their own policies. Each check throws before any
/// state changes, naming the argument and the length or range it needs.
/// </summary>
public static class MetaPolicyArguments
{
    /// <summary>Checks the spans of an <see cref="IMetaPolicy.Act"/> call for a state of <paramref name="slots"/> slots.</summary>
    /// <param name="slots">The state's slot count.</param>
    /// <param name="observationSize">The policy's observation width.</param>
    /// <param name="observationsLength">Length of <c>observations</c> (must be slots × observationSize).</param>
    /// <param name="actionsLength">Length of <c>actions</c> (must be slots).</param>
    /// <param name="logProbabilitiesLength">Length of <c>logProbabilities</c> (must be slots).</param>
    /// <param name="valuesLength">Length of <c>values</c> (must be slots).</param>
    /// <exception cref="ArgumentException">A span has the wrong length (the message names it).</exception>
    public static void CheckAct(int slots, int observationSize, int observationsLength, int actionsLength, int logProbabilitiesLength, int valuesLength)
    {
        if (observationsLength != slots * observationSize)
        {
            throw new ArgumentException(
                $"observations has length {observationsLength} but state has {slots} slots of ObservationSize {observationSize} ({slots * observationSize} values).",
                "observations");
        }

        CheckLength(actionsLength, slots, "actions");
        CheckLength(logProbabilitiesLength, slots, "logProbabilities");
        CheckLength(valuesLength, slots, "values");
    }

    /// <summary>Checks an <see cref="IMetaPolicy.EvaluateSequences"/> call and returns its token count (sequences × steps).</summary>
    /// <param name="observationSize">The policy's observation width.</param>
    /// <param name="actionCount">The policy's action count.</param>
    /// <param name="maxSteps">The most steps per sequence the policy accepts.</param>
    /// <param name="sequences">Number of sequences (≥ 1).</param>
    /// <param name="steps">Tokens per sequence, in [1, <paramref name="maxSteps"/>].</param>
    /// <param name="observationsLength">Length of <c>observations</c> (tokens × observationSize).</param>
    /// <param name="actionsLength">Length of <c>actions</c> (tokens).</param>
    /// <param name="logProbabilitiesLength">Length of <c>logProbabilities</c> (tokens).</param>
    /// <param name="entropiesLength">Length of <c>entropies</c> (tokens).</param>
    /// <param name="valuesLength">Length of <c>values</c> (tokens).</param>
    /// <returns>The number of tokens.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequences"/> or <paramref name="steps"/> is out of range, or the batch is too large.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length (the message names it).</exception>
    public static int CheckSequences(
        int observationSize, int actionCount, int maxSteps, int sequences, int steps,
        int observationsLength, int actionsLength, int logProbabilitiesLength, int entropiesLength, int valuesLength)
    {
        if (sequences < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "sequences must be at least 1.");
        }

        if (steps < 1 || steps > maxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be in [1, {maxSteps}] (the policy's MaxSequenceLength).");
        }

        long tokens = (long)sequences * steps;
        if (tokens * observationSize > Array.MaxLength || tokens * actionCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "sequences × steps × ObservationSize is too large.");
        }

        int n = (int)tokens;
        if (observationsLength != n * observationSize)
        {
            throw new ArgumentException(
                $"observations has length {observationsLength} but {sequences} sequences × {steps} steps × ObservationSize {observationSize} need {n * observationSize}.",
                "observations");
        }

        CheckLength(actionsLength, n, "actions");
        CheckLength(logProbabilitiesLength, n, "logProbabilities");
        CheckLength(entropiesLength, n, "entropies");
        CheckLength(valuesLength, n, "values");
        return n;
    }

    /// <summary>Checks the per-token derivatives of an <see cref="IMetaPolicy.BackwardSequences"/> call after an evaluation of <paramref name="tokens"/> tokens.</summary>
    /// <param name="tokens">The evaluated token count.</param>
    /// <param name="logProbabilityGradientsLength">Length of <c>logProbabilityGradients</c>.</param>
    /// <param name="entropyGradientsLength">Length of <c>entropyGradients</c>.</param>
    /// <param name="valueGradientsLength">Length of <c>valueGradients</c>.</param>
    /// <exception cref="ArgumentException">A span has the wrong length (the message names it).</exception>
    public static void CheckGradients(int tokens, int logProbabilityGradientsLength, int entropyGradientsLength, int valueGradientsLength)
    {
        CheckLength(logProbabilityGradientsLength, tokens, "logProbabilityGradients");
        CheckLength(entropyGradientsLength, tokens, "entropyGradients");
        CheckLength(valueGradientsLength, tokens, "valueGradients");
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual} but {expected} is required.", name);
        }
    }
}
