namespace RL3.Core.DependencyInjection;

/// <summary>Registered once by <c>AddRL3()</c> so that a second call adds nothing (the <c>MvcMarkerService</c> pattern).</summary>
internal sealed class RL3MarkerService
{
}
