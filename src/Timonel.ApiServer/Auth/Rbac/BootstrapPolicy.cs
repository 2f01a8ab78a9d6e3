namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// The default RBAC policy every cluster starts with, as kube-apiserver 1.32 creates it
/// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy: policy.go, controller_policy.go, namespace_policy.go; the exact
/// rules as in its testdata/*.yaml, with the default feature gates). Rules are written compactly: verbs, API groups
/// ("core" for the legacy "" group) and resources are space-separated lists. <see cref="Extra"/> is where more roles
/// and bindings join the policy (they are reconciled the same way).
/// </summary>
public static class BootstrapPolicy
{
    /// <summary>The label every default object carries (bootstrappolicy's addDefaultMetadata).</summary>
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
    public const string BootstrappingValue = "rbac-defaults";

    /// <summary>rbacv1.AutoUpdateAnnotationKey: "false" keeps the server's reconciliation off an object.</summary>
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    private const string Core = "core";
    private const string Read = "get list watch";
    private const string ReadWrite = "get list watch create update patch delete deletecollection";
    private const string Write = "create update patch delete deletecollection";
    private const string EventsWrite = "create update patch";

    // Upstream's eventsRule(): every controller may record events through both event APIs.
    private static readonly PolicyRule _events = Rule(EventsWrite, "core events.k8s.io", "events");

    /// <summary>Roles added to the default policy beyond upstream's (none today).</summary>
    public static IReadOnlyList<BootstrapRole> ExtraRoles { get; } = [];

    /// <summary>Bindings added beyond upstream's: kubeadm's, for nodes joining with a bootstrap token.</summary>
    public static IReadOnlyList<BootstrapBinding> ExtraBindings => NodeBootstrapPolicy.ClusterRoleBindings;

    /// <summary>policy.go ClusterRoles(), then controller_policy.go's controller roles.</summary>
    public static IReadOnlyList<BootstrapRole> ClusterRoles { get; } =
    [
        new("cluster-admin", [Rule("*", "*", "*"), PolicyRule.Urls(["*"], ["*"])]),
        new("system:discovery", [Urls("get", "/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/")]),
        new("system:monitoring", [Urls("get", "/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*")]),
        new("system:basic-user", [
            Rule("create", "authorization.k8s.io", "selfsubjectaccessreviews selfsubjectrulesreviews"),
            Rule("create", "authentication.k8s.io", "selfsubjectreviews")]),
        new("system:public-info-viewer", [Urls("get", "/healthz /livez /readyz /version /version/")]),
        new("admin", []) { AggregateFrom = [Labels("rbac.authorization.k8s.io/aggregate-to-admin")] },
        new("edit", []) { Labels = Labels("rbac.authorization.k8s.io/aggregate-to-admin"), AggregateFrom = [Labels("rbac.authorization.k8s.io/aggregate-to-edit")] },
        new("view", []) { Labels = Labels("rbac.authorization.k8s.io/aggregate-to-edit"), AggregateFrom = [Labels("rbac.authorization.k8s.io/aggregate-to-view")] },
        new("system:aggregate-to-admin", [
            Rule("create", "authorization.k8s.io", "localsubjectaccessreviews"),
            Rule(ReadWrite, "rbac.authorization.k8s.io", "rolebindings roles")]) { Labels = Labels("rbac.authorization.k8s.io/aggregate-to-admin") },
        new("system:aggregate-to-edit", [
            Rule(Read, Core, "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy"),
            Rule("impersonate", Core, "serviceaccounts"),
            Rule(Write, Core, "pods pods/attach pods/exec pods/portforward pods/proxy"),
            Rule("create", Core, "pods/eviction"),
            Rule(Write, Core, "configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy"),
            Rule("create", Core, "serviceaccounts/token"),
            Rule(Write, "apps", "daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale"),
            Rule(Write, "autoscaling", "horizontalpodautoscalers"),
            Rule(Write, "batch", "cronjobs jobs"),
            Rule(Write, "extensions", "daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale"),
            Rule(Write, "policy", "poddisruptionbudgets"),
            Rule(Write, "networking.k8s.io", "ingresses networkpolicies"),
            Rule(ReadWrite, "coordination.k8s.io", "leases")]) { Labels = Labels("rbac.authorization.k8s.io/aggregate-to-edit") },
        new("system:aggregate-to-view", [
            Rule(Read, Core, "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status"),
            Rule(Read, Core, "bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status"),
            Rule(Read, Core, "namespaces"),
            Rule(Read, "discovery.k8s.io", "endpointslices"),
            Rule(Read, "apps", "controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status"),
            Rule(Read, "autoscaling", "horizontalpodautoscalers horizontalpodautoscalers/status"),
            Rule(Read, "batch", "cronjobs cronjobs/status jobs jobs/status"),
            Rule(Read, "extensions", "daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale"),
            Rule(Read, "policy", "poddisruptionbudgets poddisruptionbudgets/status"),
            Rule(Read, "networking.k8s.io", "ingresses ingresses/status networkpolicies")]) { Labels = Labels("rbac.authorization.k8s.io/aggregate-to-view") },
        new("system:heapster", [Rule(Read, Core, "events namespaces nodes pods"), Rule(Read, "extensions", "deployments")]),
        new("system:node", [
            Rule("create", "authentication.k8s.io", "tokenreviews"),
            Rule("create", "authorization.k8s.io", "localsubjectaccessreviews subjectaccessreviews"),
            Rule(Read, Core, "services"),
            Rule("create get list watch", Core, "nodes"),
            Rule("patch update", Core, "nodes/status"),
            Rule("patch update", Core, "nodes"),
            Rule(EventsWrite, Core, "events"),
            Rule(Read, Core, "pods"),
            Rule("create delete", Core, "pods"),
            Rule("patch update", Core, "pods/status"),
            Rule("create", Core, "pods/eviction"),
            Rule(Read, Core, "configmaps secrets"),
            Rule("get", Core, "persistentvolumeclaims persistentvolumes"),
            Rule("get", Core, "endpoints"),
            Rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests"),
            Rule("create delete get patch update", "coordination.k8s.io", "leases"),
            Rule("get", "storage.k8s.io", "volumeattachments"),
            Rule("create", Core, "serviceaccounts/token"),
            Rule("get patch update", Core, "persistentvolumeclaims/status"),
            Rule(Read, "storage.k8s.io", "csidrivers"),
            Rule("create delete get patch update", "storage.k8s.io", "csinodes"),
            Rule(Read, "node.k8s.io", "runtimeclasses")]),
        new("system:node-problem-detector", [Rule("get", Core, "nodes"), Rule("patch", Core, "nodes/status"), _events]),
        new("system:kubelet-api-admin", [Rule(Read, Core, "nodes"), Rule("proxy", Core, "nodes"), Rule("*", Core, "nodes/log nodes/metrics nodes/proxy nodes/stats")]),
        new("system:node-bootstrapper", [Rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests")]),
        new("system:auth-delegator", [Rule("create", "authentication.k8s.io", "tokenreviews"), Rule("create", "authorization.k8s.io", "subjectaccessreviews")]),
        new("system:kube-aggregator", [Rule(Read, Core, "endpoints services")]),
        new("system:kube-controller-manager", [
            _events,
            Rule("create", "coordination.k8s.io", "leases"),
            Rule("get update", "coordination.k8s.io", "leases", "kube-controller-manager"),
            Rule("create", Core, "secrets serviceaccounts"),
            Rule("delete", Core, "secrets"),
            Rule("get", Core, "configmaps namespaces secrets serviceaccounts"),
            Rule("update", Core, "secrets serviceaccounts"),
            Rule("create", "authentication.k8s.io", "tokenreviews"),
            Rule("create", "authorization.k8s.io", "subjectaccessreviews"),
            Rule("list watch", "*", "*"),
            Rule("create", Core, "serviceaccounts/token")]),
        new("system:kube-dns", [Rule("list watch", Core, "endpoints services")]),
        new("system:persistent-volume-provisioner", [
            Rule("create delete get list watch", Core, "persistentvolumes"),
            Rule("get list update watch", Core, "persistentvolumeclaims"),
            Rule(Read, "storage.k8s.io", "storageclasses"),
            Rule("watch", Core, "events"),
            _events]),
        new("system:certificates.k8s.io:kube-apiserver-client-approver", [Rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client")]),
        new("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver", [Rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client-kubelet")]),
        new("system:certificates.k8s.io:kubelet-serving-approver", [Rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kubelet-serving")]),
        new("system:certificates.k8s.io:legacy-unknown-approver", [Rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/legacy-unknown")]),
        new("system:certificates.k8s.io:certificatesigningrequests:nodeclient", [Rule("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient")]),
        new("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [Rule("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient")]),
        new("system:volume-scheduler", [
            Rule("get list patch update watch", Core, "persistentvolumes"),
            Rule(Read, "storage.k8s.io", "storageclasses"),
            Rule("get list patch update watch", Core, "persistentvolumeclaims")]),
        new("system:node-proxier", [
            Rule("list watch", Core, "endpoints services"),
            Rule(Read, Core, "nodes"),
            _events,
            Rule("list watch", "discovery.k8s.io", "endpointslices")]),
        // Timonel's own: the service proxy in a joined node's agent, which has only the node's identity (K3s hands its
        // agents a system:kube-proxy certificate instead). What the proxy reads beyond the node's own rights, and no
        // more: nodes still may not list nodes.
        new("timonel:node-service-proxy", [
            Rule("list watch", Core, "endpoints services"),
            Rule("list watch", "discovery.k8s.io", "endpointslices")]),
        new("system:kube-scheduler", [
            _events,
            Rule("create", "coordination.k8s.io", "leases"),
            Rule("get update", "coordination.k8s.io", "leases", "kube-scheduler"),
            Rule(Read, Core, "nodes"),
            Rule("delete get list watch", Core, "pods"),
            Rule("create", Core, "bindings pods/binding"),
            Rule("patch update", Core, "pods/status"),
            Rule(Read, Core, "replicationcontrollers services"),
            Rule(Read, "apps extensions", "replicasets"),
            Rule(Read, "apps", "statefulsets"),
            Rule(Read, "policy", "poddisruptionbudgets"),
            Rule(Read, Core, "persistentvolumeclaims persistentvolumes"),
            Rule("create", "authentication.k8s.io", "tokenreviews"),
            Rule("create", "authorization.k8s.io", "subjectaccessreviews"),
            Rule(Read, "storage.k8s.io", "csinodes"),
            Rule(Read, Core, "namespaces"),
            Rule(Read, "storage.k8s.io", "csidrivers"),
            Rule(Read, "storage.k8s.io", "csistoragecapacities")]),
        new("system:service-account-issuer-discovery", [Urls("get", "/.well-known/openid-configuration /openid/v1/jwks")]),
        .. ControllerRoles(),
    ];

    /// <summary>policy.go ClusterRoleBindings(), then one binding per controller role to the controller's service account in kube-system.</summary>
    public static IReadOnlyList<BootstrapBinding> ClusterRoleBindings { get; } =
    [
        new("cluster-admin", "ClusterRole", "cluster-admin", [BootstrapSubject.Group(UserInfo.MastersGroup)]),
        new("system:monitoring", "ClusterRole", "system:monitoring", [BootstrapSubject.Group("system:monitoring")]),
        new("system:discovery", "ClusterRole", "system:discovery", [BootstrapSubject.Group(UserInfo.AuthenticatedGroup)]),
        new("system:basic-user", "ClusterRole", "system:basic-user", [BootstrapSubject.Group(UserInfo.AuthenticatedGroup)]),
        new("system:public-info-viewer", "ClusterRole", "system:public-info-viewer", [BootstrapSubject.Group(UserInfo.AuthenticatedGroup), BootstrapSubject.Group("system:unauthenticated")]),
        new("system:node-proxier", "ClusterRole", "system:node-proxier", [BootstrapSubject.User("system:kube-proxy")]),
        new("timonel:node-service-proxy", "ClusterRole", "timonel:node-service-proxy", [BootstrapSubject.Group("system:nodes")]),
        new("system:kube-controller-manager", "ClusterRole", "system:kube-controller-manager", [BootstrapSubject.User("system:kube-controller-manager")]),
        new("system:kube-dns", "ClusterRole", "system:kube-dns", [BootstrapSubject.ServiceAccount("kube-system", "kube-dns")]),
        new("system:kube-scheduler", "ClusterRole", "system:kube-scheduler", [BootstrapSubject.User("system:kube-scheduler")]),
        new("system:volume-scheduler", "ClusterRole", "system:volume-scheduler", [BootstrapSubject.User("system:kube-scheduler")]),
        new("system:service-account-issuer-discovery", "ClusterRole", "system:service-account-issuer-discovery", [BootstrapSubject.Group("system:serviceaccounts")]),
        // Kept without subjects since the Node authorizer took over (1.8), so reconciliation of older clusters leaves it empty.
        new("system:node", "ClusterRole", "system:node", []),
        .. ControllerRoles().Select(role => new BootstrapBinding(role.Name, "ClusterRole", role.Name, [BootstrapSubject.ServiceAccount("kube-system", role.Name["system:controller:".Length..])])),
    ];

    /// <summary>namespace_policy.go: Roles in kube-system and kube-public.</summary>
    public static IReadOnlyList<BootstrapRole> NamespacedRoles { get; } =
    [
        new("extension-apiserver-authentication-reader", [Rule(Read, Core, "configmaps", "extension-apiserver-authentication")], "kube-system"),
        new("system::leader-locking-kube-controller-manager", [Rule("create get list update watch", "coordination.k8s.io", "leases"), Rule("create get list update watch", "coordination.k8s.io", "leasecandidates")], "kube-system"),
        new("system::leader-locking-kube-scheduler", [Rule("create get list update watch", "coordination.k8s.io", "leases"), Rule("create get list update watch", "coordination.k8s.io", "leasecandidates")], "kube-system"),
        new("system:controller:bootstrap-signer", [Rule(Read, Core, "secrets")], "kube-system"),
        new("system:controller:cloud-provider", [Rule("create get list watch", Core, "configmaps")], "kube-system"),
        new("system:controller:token-cleaner", [Rule("delete get list watch", Core, "secrets"), _events], "kube-system"),
        new("system:controller:bootstrap-signer", [Rule(Read, Core, "configmaps"), Rule("update", Core, "configmaps", "cluster-info"), _events], "kube-public"),
    ];

    public static IReadOnlyList<BootstrapBinding> NamespacedBindings { get; } =
    [
        new("system::extension-apiserver-authentication-reader", "Role", "extension-apiserver-authentication-reader", [BootstrapSubject.User("system:kube-controller-manager"), BootstrapSubject.User("system:kube-scheduler")], "kube-system"),
        new("system::leader-locking-kube-controller-manager", "Role", "system::leader-locking-kube-controller-manager", [BootstrapSubject.User("system:kube-controller-manager"), BootstrapSubject.ServiceAccount("kube-system", "kube-controller-manager"), BootstrapSubject.ServiceAccount("kube-system", "leader-election-controller")], "kube-system"),
        new("system::leader-locking-kube-scheduler", "Role", "system::leader-locking-kube-scheduler", [BootstrapSubject.User("system:kube-scheduler"), BootstrapSubject.ServiceAccount("kube-system", "kube-scheduler")], "kube-system"),
        new("system:controller:bootstrap-signer", "Role", "system:controller:bootstrap-signer", [BootstrapSubject.ServiceAccount("kube-system", "bootstrap-signer")], "kube-system"),
        new("system:controller:cloud-provider", "Role", "system:controller:cloud-provider", [BootstrapSubject.ServiceAccount("kube-system", "cloud-provider")], "kube-system"),
        new("system:controller:token-cleaner", "Role", "system:controller:token-cleaner", [BootstrapSubject.ServiceAccount("kube-system", "token-cleaner")], "kube-system"),
        new("system:controller:bootstrap-signer", "Role", "system:controller:bootstrap-signer", [BootstrapSubject.ServiceAccount("kube-system", "bootstrap-signer")], "kube-public"),
    ];

    /// <summary>Every role of the policy, cluster-wide ones first.</summary>
    public static IEnumerable<BootstrapRole> AllRoles => ClusterRoles.Concat(NamespacedRoles).Concat(ExtraRoles);

    public static IEnumerable<BootstrapBinding> AllBindings => ClusterRoleBindings.Concat(NamespacedBindings).Concat(ExtraBindings);

    // controller_policy.go buildControllerRoles with 1.32's default feature gates (the roles of alpha and off-by-default
    // beta controllers, such as resource-claim and service-cidrs, are not created).
    private static IEnumerable<BootstrapRole> ControllerRoles() =>
    [
        Controller("attachdetach-controller",
            Rule("list watch", Core, "persistentvolumeclaims persistentvolumes"),
            Rule(Read, Core, "nodes"),
            Rule("patch update", Core, "nodes/status"),
            Rule("list watch", Core, "pods"),
            _events,
            Rule("create delete get list watch", "storage.k8s.io", "volumeattachments"),
            Rule(Read, "storage.k8s.io", "csidrivers"),
            Rule(Read, "storage.k8s.io", "csinodes")),
        Controller("certificate-controller",
            Rule("delete get list watch", "certificates.k8s.io", "certificatesigningrequests"),
            Rule("update", "certificates.k8s.io", "certificatesigningrequests/approval certificatesigningrequests/status"),
            Rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client-kubelet"),
            Rule("sign", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown"),
            Rule("create", "authorization.k8s.io", "subjectaccessreviews"),
            _events),
        Controller("clusterrole-aggregation-controller", Rule("escalate get list patch update watch", "rbac.authorization.k8s.io", "clusterroles")),
        Controller("cronjob-controller",
            Rule("get list update watch", "batch", "cronjobs"),
            Rule("create delete get list patch update watch", "batch", "jobs"),
            Rule("update", "batch", "cronjobs/status"),
            Rule("update", "batch", "cronjobs/finalizers"),
            Rule("delete list watch", Core, "pods"),
            _events),
        Controller("daemon-set-controller",
            Rule(Read, "apps extensions", "daemonsets"),
            Rule("update", "apps extensions", "daemonsets/status"),
            Rule("update", "apps extensions", "daemonsets/finalizers"),
            Rule("list watch", Core, "nodes"),
            Rule("create delete list patch watch", Core, "pods"),
            Rule("create", Core, "pods/binding"),
            Rule("create delete get list patch update watch", "apps", "controllerrevisions"),
            _events),
        Controller("deployment-controller",
            Rule("get list update watch", "apps extensions", "deployments"),
            Rule("update", "apps extensions", "deployments/status"),
            Rule("update", "apps extensions", "deployments/finalizers"),
            Rule("create delete get list patch update watch", "apps extensions", "replicasets"),
            Rule("get list update watch", Core, "pods"),
            _events),
        Controller("disruption-controller",
            Rule(Read, "apps extensions", "deployments"),
            Rule(Read, "apps extensions", "replicasets"),
            Rule(Read, Core, "replicationcontrollers"),
            Rule(Read, "policy", "poddisruptionbudgets"),
            Rule(Read, "apps", "statefulsets"),
            Rule("update", "policy", "poddisruptionbudgets/status"),
            Rule("patch update", Core, "pods/status"),
            Rule("get", "*", "*/scale"),
            _events),
        Controller("endpoint-controller",
            Rule(Read, Core, "pods services"),
            Rule("create delete get list update watch", Core, "endpoints"),
            Rule("create", Core, "endpoints/restricted"),
            _events),
        Controller("endpointslice-controller",
            Rule(Read, Core, "nodes pods services"),
            Rule("update", Core, "services/finalizers"),
            Rule("create delete get list update watch", "discovery.k8s.io", "endpointslices"),
            _events),
        Controller("endpointslicemirroring-controller",
            Rule(Read, Core, "endpoints services"),
            Rule("update", Core, "services/finalizers"),
            Rule("update", Core, "endpoints/finalizers"),
            Rule("create delete get list update watch", "discovery.k8s.io", "endpointslices"),
            _events),
        Controller("ephemeral-volume-controller",
            Rule(Read, Core, "pods"),
            Rule("update", Core, "pods/finalizers"),
            Rule("create get list watch", Core, "persistentvolumeclaims"),
            _events),
        Controller("expand-controller",
            Rule("get list patch update watch", Core, "persistentvolumes"),
            Rule("patch update", Core, "persistentvolumeclaims/status"),
            Rule(Read, Core, "persistentvolumeclaims"),
            _events),
        Controller("generic-garbage-collector", Rule("delete get list patch update watch", "*", "*"), _events),
        Controller("horizontal-pod-autoscaler",
            Rule(Read, "autoscaling", "horizontalpodautoscalers"),
            Rule("update", "autoscaling", "horizontalpodautoscalers/status"),
            Rule("get update", "*", "*/scale"),
            Rule("list watch", Core, "pods"),
            Rule("list watch", "metrics.k8s.io", "pods"),
            Rule(Read, "custom.metrics.k8s.io", "*"),
            Rule(Read, "external.metrics.k8s.io", "*"),
            _events),
        Controller("job-controller",
            Rule("get list patch update watch", "batch", "jobs"),
            Rule("update", "batch", "jobs/status"),
            Rule("update", "batch", "jobs/finalizers"),
            Rule("create delete list patch watch", Core, "pods"),
            _events),
        Controller("legacy-service-account-token-cleaner",
            Rule("get", Core, "configmaps", "kube-apiserver-legacy-service-account-token-tracking"),
            Rule("delete patch", Core, "secrets")),
        Controller("namespace-controller",
            Rule("delete get list watch", Core, "namespaces"),
            Rule("update", Core, "namespaces/finalize namespaces/status"),
            Rule("delete deletecollection get list watch", "*", "*")),
        Controller("node-controller",
            Rule("delete get list patch update watch", Core, "nodes"),
            Rule("patch update", Core, "nodes/status"),
            Rule("patch update", Core, "pods/status"),
            Rule("delete get list watch", Core, "pods"),
            _events),
        Controller("persistent-volume-binder",
            Rule("create delete get list update watch", Core, "persistentvolumes"),
            Rule("update", Core, "persistentvolumes/status"),
            Rule("get list update watch", Core, "persistentvolumeclaims"),
            Rule("update", Core, "persistentvolumeclaims/status"),
            Rule("create delete get list watch", Core, "pods"),
            Rule(Read, "storage.k8s.io", "storageclasses"),
            Rule("list watch", Core, "nodes"),
            _events,
            Rule("watch", Core, "events")),
        Controller("pod-garbage-collector",
            Rule("delete list watch", Core, "pods"),
            Rule(Read, Core, "nodes"),
            Rule("patch", Core, "pods/status")),
        Controller("pv-protection-controller", Rule("get list update watch", Core, "persistentvolumes"), _events),
        Controller("pvc-protection-controller",
            Rule("get list update watch", Core, "persistentvolumeclaims"),
            Rule("update", Core, "persistentvolumeclaims/status"),
            Rule(Read, Core, "pods"),
            _events),
        Controller("replicaset-controller",
            Rule("get list update watch", "apps extensions", "replicasets"),
            Rule("update", "apps extensions", "replicasets/status"),
            Rule("update", "apps extensions", "replicasets/finalizers"),
            Rule("create delete list patch watch", Core, "pods"),
            _events),
        Controller("replication-controller",
            Rule("get list update watch", Core, "replicationcontrollers"),
            Rule("update", Core, "replicationcontrollers/status"),
            Rule("update", Core, "replicationcontrollers/finalizers"),
            Rule("create delete list patch watch", Core, "pods"),
            _events),
        Controller("resourcequota-controller", Rule("list watch", "*", "*"), Rule("update", Core, "resourcequotas/status"), _events),
        Controller("root-ca-cert-publisher", Rule("create update", Core, "configmaps"), _events),
        Controller("route-controller", Rule("list watch", Core, "nodes"), Rule("patch", Core, "nodes/status"), _events),
        Controller("service-account-controller", Rule("create", Core, "serviceaccounts"), _events),
        Controller("service-controller",
            Rule(Read, Core, "services"),
            Rule("patch update", Core, "services/status"),
            Rule("list watch", Core, "nodes"),
            _events),
        Controller("statefulset-controller",
            Rule("list watch", Core, "pods"),
            Rule(Read, "apps", "statefulsets"),
            Rule("update", "apps", "statefulsets/status"),
            Rule("update", "apps", "statefulsets/finalizers"),
            Rule("create delete get patch update", Core, "pods"),
            Rule("create delete get list patch update watch", "apps", "controllerrevisions"),
            Rule("create get list watch", Core, "persistentvolumeclaims"),
            Rule("delete update", Core, "persistentvolumeclaims"),
            Rule("update", Core, "pods/finalizers"),
            _events),
        Controller("ttl-after-finished-controller", Rule("delete get list watch", "batch", "jobs"), _events),
        Controller("ttl-controller", Rule("list patch update watch", Core, "nodes"), _events),
        Controller("validatingadmissionpolicy-status-controller",
            Rule(Read, "admissionregistration.k8s.io", "validatingadmissionpolicies"),
            Rule("get patch update", "admissionregistration.k8s.io", "validatingadmissionpolicies/status"),
            _events),
    ];

    private static BootstrapRole Controller(string name, params PolicyRule[] rules) => new("system:controller:" + name, rules);

    private static PolicyRule Rule(string verbs, string groups, string resources, string names = "") =>
        new(Split(verbs), [.. Split(groups).Select(g => g == Core ? "" : g).Order(StringComparer.Ordinal)], Split(resources), Split(names));

    private static PolicyRule Urls(string verbs, string urls) => PolicyRule.Urls(Split(verbs), Split(urls));

    private static Dictionary<string, string> Labels(string key) => new() { [key] = "true" };

    // Sorted, as upstream's PolicyRuleBuilder.Rule() sorts every list of a rule.
    private static string[] Split(string list) => [.. list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
