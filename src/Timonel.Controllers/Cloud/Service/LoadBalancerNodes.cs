using k8s.Models;

namespace Timonel.Controllers.Cloud.Service;

/// <summary>
/// The Nodes a Service's balancer sends traffic to (the service controller's node predicates, as of 1.32 where the
/// set is stable): not labelled <c>node.kubernetes.io/exclude-from-external-load-balancers</c>, not tainted
/// <c>ToBeDeletedByClusterAutoscaler</c>, and Ready too for an externalTrafficPolicy Local Service.
/// </summary>
public static class LoadBalancerNodes
{
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";
    public const string ToBeDeletedTaint = "ToBeDeletedByClusterAutoscaler";

    public static IReadOnlyList<V1Node> For(V1Service service, IEnumerable<V1Node> nodes) =>
        [.. nodes.Where(node => Included(node) && (service.Spec?.ExternalTrafficPolicy != "Local" || CloudNodes.IsReady(node)))
            .OrderBy(node => node.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>
    /// What of a Node a balancer depends on, compared between updates so a node's heartbeat does not resync every
    /// balancer: whether it is included, Ready, and its addresses.
    /// </summary>
    public static string Fingerprint(V1Node node) =>
        $"{Included(node)}|{CloudNodes.IsReady(node)}|{string.Join(',', (node.Status?.Addresses ?? []).Select(a => a.Type + "=" + a.Address))}";

    private static bool Included(V1Node node) =>
        node.Metadata.DeletionTimestamp is null
        && node.Metadata.Labels?.ContainsKey(ExcludeLabel) != true
        && node.Spec?.Taints?.Any(t => t.Key == ToBeDeletedTaint) != true;
}
