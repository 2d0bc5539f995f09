namespace RL3.Core.Evaluation;

/// <summary>One grid point of a tuning run.</summary>
/// <param name="Value">The parameter value.</param>
/// <param name="Mean">Mean return on the training tasks.</param>
/// <param name="StandardError">Standard error of that mean.</param>
public readonly record struct TuningPoint(double Value, double Mean, double StandardError);
