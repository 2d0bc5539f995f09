using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Cli;

/// <summary>
/// How <c>rl3</c> evaluates a trained policy: the library's one evaluation loop (<see cref="PolicyEvaluator"/>) with
/// an adaptation-curve recorder and a grid-visit recorder, so the result pairs task by task with the baselines.
/// </summary>
internal static class PolicyEvaluations
{
    public static PolicyEvaluation Evaluate(IMetaPolicy policy, MetaEnvironmentSpec environment, int taskCount, ulong seed, string name, ActionSelection selection)
    {
        var curve = new AdaptationCurveRecorder();
        var visits = new GridVisitRecorder();
        IEvaluationRecorder[] recorders = environment.Distribution.TaskHorizon > 0 ? [curve, visits] : [visits];
        var result = PolicyEvaluator.Evaluate(policy, environment, taskCount, seed, selection, name: name, recorders: recorders);
        return new PolicyEvaluation(result with { AdaptationCurve = environment.Distribution.TaskHorizon > 0 ? curve.Curve : [] }, visits.Visits);
    }
}
