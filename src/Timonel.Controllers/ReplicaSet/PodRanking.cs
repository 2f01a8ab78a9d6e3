using k8s.Models;

namespace Timonel.Controllers.ReplicaSet;

/// <summary>
/// Which pods a scale-down deletes first (upstream's ActivePods ordering, pkg/controller/controller_utils.go): not
/// yet assigned before assigned, Pending before Unknown before Running, not ready before ready, ready for less time
/// before longer, more restarts before fewer, newer before older.
/// </summary>
internal sealed class PodRanking : IComparer<V1Pod>
{
    public static readonly PodRanking Instance = new();

    public int Compare(V1Pod? x, V1Pod? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int c;
        if ((c = Assigned(x).CompareTo(Assigned(y))) != 0 || (c = PhaseRank(x).CompareTo(PhaseRank(y))) != 0 || (c = IsReady(x).CompareTo(IsReady(y))) != 0)
        {
            return c;
        }

        // Both ready: the one ready more recently goes first.
        if (IsReady(x) && ReadySince(x) is { } rx && ReadySince(y) is { } ry && rx != ry)
        {
            return ry.CompareTo(rx);
        }

        if ((c = Restarts(y).CompareTo(Restarts(x))) != 0)
        {
            return c;
        }

        var cx = x.Metadata?.CreationTimestamp;
        var cy = y.Metadata?.CreationTimestamp;
        return cx is null || cy is null || cx == cy ? 0 : cy.Value.CompareTo(cx.Value);
    }

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    public static DateTime? ReadySince(V1Pod pod) => ReadyCondition(pod)?.LastTransitionTime;

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private static bool Assigned(V1Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    private static int PhaseRank(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int Restarts(V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(s => s.RestartCount) ?? 0;
}
