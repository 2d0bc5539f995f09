namespace RL3.Core.Inner;

/// <summary>The state value an inner estimator reports with its Q-values.</summary>
/// <param name="Value">V(s) = max_a Q(s,a).</param>
/// <param name="StandardError">SE_V(s) = SE_Q(s, argmax_a Q(s,a)); 0 when standard errors are off.</param>
public readonly record struct InnerValue(double Value, double StandardError);
