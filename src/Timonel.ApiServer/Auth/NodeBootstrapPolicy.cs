using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// What joining nodes need beyond upstream's default policy: kubeadm's ClusterRoleBindings for TLS bootstrapping
/// (cmd/kubeadm/app/phases/bootstraptoken/node), binding bootstrappolicy's system:node-bootstrapper and the
/// certificatesigningrequests nodeclient/selfnodeclient roles, so a bootstrap token may ask for a node certificate
/// that the csrapproving controller then approves, and a node may renew its own. Created and reconciled with the
/// default policy (<see cref="BootstrapPolicy.ExtraBindings"/>).
/// </summary>
public static class NodeBootstrapPolicy
{
    public const string NodeBootstrapperRole = "system:node-bootstrapper";
    public const string NodeClientRole = "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
    public const string SelfNodeClientRole = "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";

    public static IReadOnlyList<BootstrapBinding> ClusterRoleBindings { get; } =
    [
        new("kubeadm:kubelet-bootstrap", "ClusterRole", NodeBootstrapperRole, [BootstrapSubject.Group(BootstrapTokenAuthenticator.BootstrappersGroup)]),
        new("kubeadm:node-autoapprove-bootstrap", "ClusterRole", NodeClientRole, [BootstrapSubject.Group(BootstrapTokenAuthenticator.BootstrappersGroup)]),
        new("kubeadm:node-autoapprove-certificate-rotation", "ClusterRole", SelfNodeClientRole, [BootstrapSubject.Group(Node.NodeIdentity.NodesGroup)]),
    ];
}
