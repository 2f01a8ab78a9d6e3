namespace Timonel.ApiServer.Auth;

/// <summary>
/// What joining nodes need before RBAC is evaluated: kubeadm's ClusterRoleBindings for TLS bootstrapping
/// (cmd/kubeadm/app/phases/bootstraptoken/node: kubeadm:kubelet-bootstrap, kubeadm:node-autoapprove-bootstrap,
/// kubeadm:node-autoapprove-certificate-rotation) and the rules of the cluster roles they bind (bootstrappolicy's
/// system:node-bootstrapper and the certificatesigningrequests nodeclient/selfnodeclient roles). Until RBAC objects
/// are evaluated, <see cref="BootstrapPolicyAuthorizer"/> grants these rules by group; once they are, this list is
/// the data RBAC's bootstrap creates and the authorizer's temporary rule set goes away.
/// </summary>
public static class NodeBootstrapPolicy
{
    public const string NodeBootstrapperRole = "system:node-bootstrapper";
    public const string NodeClientRole = "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
    public const string SelfNodeClientRole = "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";

    /// <summary>The cluster roles' rules, by role name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ResourceRule>> Roles { get; } = new Dictionary<string, IReadOnlyList<ResourceRule>>(StringComparer.Ordinal)
    {
        [NodeBootstrapperRole] = [new(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"], [])],
        [NodeClientRole] = [new(["create"], ["certificates.k8s.io"], ["certificatesigningrequests/nodeclient"], [])],
        [SelfNodeClientRole] = [new(["create"], ["certificates.k8s.io"], ["certificatesigningrequests/selfnodeclient"], [])],
    };

    /// <summary>kubeadm's bindings: name, cluster role, and the group bound.</summary>
    public static IReadOnlyList<(string Name, string ClusterRole, string Group)> ClusterRoleBindings { get; } =
    [
        ("kubeadm:kubelet-bootstrap", NodeBootstrapperRole, BootstrapTokenAuthenticator.BootstrappersGroup),
        ("kubeadm:node-autoapprove-bootstrap", NodeClientRole, BootstrapTokenAuthenticator.BootstrappersGroup),
        ("kubeadm:node-autoapprove-certificate-rotation", SelfNodeClientRole, Node.NodeIdentity.NodesGroup),
    ];

    /// <summary>The rules the bindings give a user of these groups.</summary>
    public static IReadOnlyList<ResourceRule> RulesFor(IReadOnlyList<string> groups) =>
        [.. ClusterRoleBindings.Where(b => groups.Contains(b.Group)).SelectMany(b => Roles[b.ClusterRole])];
}
