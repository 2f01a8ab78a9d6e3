using Timonel.Api.Selectors;

namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// Authorizes what kubelets ask (plugin/pkg/auth/authorizer/node/node_authorizer.go, with 1.32's default
/// AuthorizeNodeWithSelectors): a node may read a secret, configmap, claim or volume, read a pod, or ask a token for a
/// service account only when a pod bound to it relates it to that object (<see cref="NodeGraph"/>); leases only its
/// own in kube-node-lease; nodes only its own for reads; everything else by the system:node role's rules
/// (<see cref="NodeRules"/>). Writes it allows are narrowed further by the NodeRestriction admission plugin. Users
/// that are not nodes get no opinion.
/// </summary>
public sealed class NodeAuthorizer : IAuthorizer, IRuleResolver
{
    // api.NamespaceNodeLease.
    private const string NodeLeaseNamespace = "kube-node-lease";

    private readonly NodeGraph _graph;

    public NodeAuthorizer(NodeGraph graph) => _graph = graph;

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        if (!NodeIdentity.TryGetNodeName(user, out var node))
        {
            return AuthorizationDecision.NoOpinion;
        }

        if (node.Length == 0)
        {
            return NoOpinion($"unknown node for user \"{user.Name}\"");
        }

        if (request.IsResourceRequest)
        {
            switch (request.Group, request.Resource)
            {
                case ("", "secrets"):
                    return AuthorizeReadNamespacedObject(node, VertexType.Secret, request);
                case ("", "configmaps"):
                    return AuthorizeReadNamespacedObject(node, VertexType.ConfigMap, request);
                case ("", "persistentvolumeclaims"):
                    return request.Subresource == "status" ? AuthorizeStatusUpdate(node, VertexType.PersistentVolumeClaim, request) : AuthorizeGet(node, VertexType.PersistentVolumeClaim, request);
                case ("", "persistentvolumes"):
                    return AuthorizeGet(node, VertexType.PersistentVolume, request);
                case ("", "serviceaccounts"):
                    return AuthorizeCreateToken(node, request);
                case ("coordination.k8s.io", "leases"):
                    return AuthorizeLease(node, request);
                case ("storage.k8s.io", "csinodes"):
                    return AuthorizeCsiNode(node, request);
                case ("", "nodes"):
                    return AuthorizeNode(node, request);
                case ("", "pods"):
                    return AuthorizePod(node, request);
            }
        }

        return NodeRules.Allow(request) ? AuthorizationDecision.Allow : AuthorizationDecision.NoOpinion;
    }

    /// <summary>Upstream's RulesFor: a node's rules cannot be listed (they depend on the graph), so incomplete.</summary>
    public SubjectRules RulesFor(UserInfo user, string ns) =>
        NodeIdentity.TryGetNodeName(user, out _) ? new SubjectRules([], [], true) : SubjectRules.None;

    private AuthorizationDecision AuthorizeStatusUpdate(string node, VertexType type, RequestAttributes request) =>
        request.Verb is not ("update" or "patch") ? NoOpinion("can only get/update/patch this type")
        : request.Subresource != "status" ? NoOpinion("can only update status subresource")
        : AuthorizeByGraph(node, type, request);

    private AuthorizationDecision AuthorizeGet(string node, VertexType type, RequestAttributes request) =>
        request.Verb != "get" ? NoOpinion("can only get individual resources of this type")
        : !string.IsNullOrEmpty(request.Subresource) ? NoOpinion("cannot get subresource")
        : AuthorizeByGraph(node, type, request);

    private AuthorizationDecision AuthorizeReadNamespacedObject(string node, VertexType type, RequestAttributes request) =>
        request.Verb is not ("get" or "list" or "watch") ? NoOpinion("can only read resources of this type")
        : !string.IsNullOrEmpty(request.Subresource) ? NoOpinion("cannot read subresource")
        : string.IsNullOrEmpty(request.Namespace) ? NoOpinion("can only read namespaced object of this type")
        : AuthorizeByGraph(node, type, request);

    private AuthorizationDecision AuthorizeByGraph(string node, VertexType type, RequestAttributes request)
    {
        if (string.IsNullOrEmpty(request.Name))
        {
            return NoOpinion("No Object name found");
        }

        return _graph.HasPath(node, type, request.Namespace ?? "", request.Name)
            ? AuthorizationDecision.Allow
            : NoOpinion($"no relationship found between node '{node}' and this object");
    }

    private AuthorizationDecision AuthorizeCreateToken(string node, RequestAttributes request)
    {
        if (request.Verb != "create" || string.IsNullOrEmpty(request.Name))
        {
            return NoOpinion("can only create tokens for individual service accounts");
        }

        return request.Subresource != "token"
            ? NoOpinion("can only create token subresource of serviceaccount")
            : AuthorizeByGraph(node, VertexType.ServiceAccount, request);
    }

    private static AuthorizationDecision AuthorizeLease(string node, RequestAttributes request) =>
        request.Verb is not ("get" or "create" or "update" or "patch" or "delete") ? NoOpinion("can only get, create, update, patch, or delete a node lease")
        : request.Namespace != NodeLeaseNamespace ? NoOpinion($"can only access leases in the \"{NodeLeaseNamespace}\" system namespace")
        // The name is unknown to the authorizer on create; NodeRestriction checks it then.
        : request.Verb != "create" && request.Name != node ? NoOpinion("can only access node lease with the same name as the requesting node")
        : AuthorizationDecision.Allow;

    private static AuthorizationDecision AuthorizeCsiNode(string node, RequestAttributes request) =>
        request.Verb is not ("get" or "create" or "update" or "patch" or "delete") ? NoOpinion("can only get, create, update, patch, or delete a CSINode")
        : !string.IsNullOrEmpty(request.Subresource) ? NoOpinion("cannot authorize CSINode subresources")
        : request.Verb != "create" && request.Name != node ? NoOpinion("can only access CSINode with the same name as the requesting node")
        : AuthorizationDecision.Allow;

    private static AuthorizationDecision AuthorizeNode(string node, RequestAttributes request)
    {
        switch (request.Subresource ?? "", request.Verb)
        {
            case ("", "create" or "update" or "patch"):
            case ("status", "update" or "patch"):
                return AuthorizationDecision.Allow;
            case ("", "get" or "list" or "watch"):
                // By name rather than through the graph, so a kubelet can read its Node before registering it.
                return request.Name == node ? AuthorizationDecision.Allow
                    : string.IsNullOrEmpty(request.Name) ? NoOpinion($"node '{node}' cannot read all nodes, only its own Node object")
                    : NoOpinion($"node '{node}' cannot read '{request.Name}', only its own Node object");
            default:
                return AuthorizationDecision.NoOpinion;
        }
    }

    private AuthorizationDecision AuthorizePod(string node, RequestAttributes request)
    {
        switch (request.Subresource ?? "", request.Verb)
        {
            case ("", "get"):
                return AuthorizeGet(node, VertexType.Pod, request);
            case ("", "list" or "watch"):
                if (SelectsNode(request.FieldSelector, node))
                {
                    return AuthorizationDecision.Allow;
                }

                return !string.IsNullOrEmpty(request.Name)
                    ? AuthorizeByGraph(node, VertexType.Pod, request)
                    : NoOpinion("can only list/watch pods with spec.nodeName field selector");
            case ("", "create" or "delete"):
            case ("status", "update" or "patch"):
            case ("eviction", "create"):
                return AuthorizationDecision.Allow;
            default:
                return AuthorizationDecision.NoOpinion;
        }
    }

    private static bool SelectsNode(string? fieldSelector, string node)
    {
        if (string.IsNullOrEmpty(fieldSelector))
        {
            return false;
        }

        try
        {
            return FieldSelector.Parse(fieldSelector).Requirements.Any(r => r.Field == "spec.nodeName" && r.Equal && r.Value == node);
        }
        catch (SelectorParseException)
        {
            return false;
        }
    }

    private static AuthorizationDecision NoOpinion(string reason) => new(AuthorizationOutcome.NoOpinion, reason);
}
