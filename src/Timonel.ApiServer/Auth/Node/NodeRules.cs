namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// The system:node role's rules (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, NodeRules(), as of 1.32
/// with its default feature gates): what every node may do to resources the Node authorizer does not subdivide.
/// The rules for secrets, configmaps, PVCs, PVs, service-account tokens and leases are listed as upstream lists them;
/// the authorizer narrows those through its graph before the rules are consulted.
/// </summary>
public static class NodeRules
{
    private static readonly string[] _read = ["get", "list", "watch"];

    public static IReadOnlyList<ResourceRule> All { get; } =
    [
        // Needed to check API access; these creates do not change anything.
        new(["create"], ["authentication.k8s.io"], ["tokenreviews"], []),
        new(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"], []),
        // Service environment variables.
        new(_read, [""], ["services"], []),
        // Registering the Node and reporting its status (NodeRestriction keeps a node to its own).
        new(["create", "get", "list", "watch"], [""], ["nodes"], []),
        new(["update", "patch"], [""], ["nodes/status"], []),
        new(["update", "patch"], [""], ["nodes"], []),
        new(["create", "update", "patch"], [""], ["events"], []),
        new(_read, [""], ["pods"], []),
        // Mirror pods, pod status and evictions (NodeRestriction keeps a node to pods bound to it).
        new(["create", "delete"], [""], ["pods"], []),
        new(["update", "patch"], [""], ["pods/status"], []),
        new(["create"], [""], ["pods/eviction"], []),
        new(_read, [""], ["secrets", "configmaps"], []),
        new(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"], []),
        new(["get"], [""], ["endpoints"], []),
        // The node's own client certificate, requested and rotated through the CSR API.
        new(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"], []),
        new(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"], []),
        new(["get"], ["storage.k8s.io"], ["volumeattachments"], []),
        new(["get", "update", "patch"], [""], ["persistentvolumeclaims/status"], []),
        new(["create"], [""], ["serviceaccounts/token"], []),
        new(["get", "watch", "list"], ["storage.k8s.io"], ["csidrivers"], []),
        new(["get", "create", "update", "patch", "delete"], ["storage.k8s.io"], ["csinodes"], []),
        new(_read, ["node.k8s.io"], ["runtimeclasses"], []),
    ];

    public static bool Allow(RequestAttributes request) => All.Any(rule => rule.Allows(request));
}
