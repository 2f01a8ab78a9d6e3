namespace Timonel.Agent.NodeAgent;

/// <summary>Kubernetes' metav1.Time has whole seconds: a time is written truncated, so it compares equal when read back.</summary>
internal static class ApiTime
{
    public static DateTime Seconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()).UtcDateTime;
}
