namespace RL3.Core.Evaluation.Baselines;

/// <summary>Validation of Beta prior parameters.</summary>
internal static class BetaPrior
{
    public static void Validate(double value, string parameterName)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be positive and finite (a Beta prior parameter).");
        }
    }
}
