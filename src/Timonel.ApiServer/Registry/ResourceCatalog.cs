using Timonel.ApiServer.Endpoints.Subresources;
using Timonel.ApiServer.Registry.Autoscaling;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Every built-in resource the server serves, with upstream's discovery data (short names and categories from
/// each upstream registry's ShortNames()/Categories()). A kind with behaviour of its own brings its strategy.
/// </summary>
public static class ResourceCatalog
{
    // Upstream's pod storage (pkg/registry/core/pod/storage/storage.go) besides status: the node-reaching streams, the
    // binding and the eviction. Ephemeral containers and resize are not served yet.
    private static readonly SubresourceDefinition[] _podSubresources =
    [
        PodConnectSubresource.Log, PodConnectSubresource.Exec, PodConnectSubresource.Attach, PodConnectSubresource.PortForward,
        PodBindingSubresource.Definition, PodEvictionSubresource.Definition,
    ];

    public static IReadOnlyList<ResourceDefinition> BuiltIn(IResourceStrategyProvider strategies)
    {
        ResourceDefinition Define(string group, string version, string kind, string plural, bool namespaced, string[]? shortNames = null, bool all = false, bool status = true, bool scale = false, bool createOnly = false) => new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = all ? ["all"] : [],
            Strategy = strategies.For(group, kind),
            HasStatus = status && !createOnly,
            HasScale = scale,
            CreateOnly = createOnly,
        };

        return
        [
            Define("", "v1", "Namespace", "namespaces", false, ["ns"]) with { Subresources = [NamespaceFinalizeSubresource.Definition] },
            Define("", "v1", "Pod", "pods", true, ["po"], all: true) with { Subresources = _podSubresources },
            // POST namespaces/NS/bindings: the older way to bind, the pod named by the Binding (upstream's LegacyBindingREST).
            Define("", "v1", "Binding", "bindings", true, createOnly: true),
            Define("", "v1", "Service", "services", true, ["svc"], all: true),
            Define("", "v1", "Endpoints", "endpoints", true, ["ep"], status: false),
            Define("", "v1", "ConfigMap", "configmaps", true, ["cm"], status: false),
            Define("", "v1", "Secret", "secrets", true, status: false),
            Define("", "v1", "Node", "nodes", false, ["no"]),
            Define("", "v1", "Event", "events", true, ["ev"], status: false),
            Define("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"], status: false) with { Subresources = [ServiceAccountTokenSubresource.Definition] },
            Define("", "v1", "PersistentVolume", "persistentvolumes", false, ["pv"]),
            Define("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"]),
            Define("", "v1", "LimitRange", "limitranges", true, ["limits"], status: false),
            Define("", "v1", "ResourceQuota", "resourcequotas", true, ["quota"]),
            Define("", "v1", "ReplicationController", "replicationcontrollers", true, ["rc"], all: true, scale: true),
            Define("", "v1", "PodTemplate", "podtemplates", true, status: false),
            Define("apps", "v1", "Deployment", "deployments", true, ["deploy"], all: true, scale: true),
            Define("apps", "v1", "ReplicaSet", "replicasets", true, ["rs"], all: true, scale: true),
            Define("apps", "v1", "DaemonSet", "daemonsets", true, ["ds"], all: true),
            Define("apps", "v1", "StatefulSet", "statefulsets", true, ["sts"], all: true, scale: true),
            Define("apps", "v1", "ControllerRevision", "controllerrevisions", true, status: false),
            // The review APIs, never stored (upstream's pkg/registry/authentication and pkg/registry/authorization).
            Define("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false, createOnly: true),
            Define("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", false, createOnly: true),
            Define("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", true, createOnly: true),
            Define("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, createOnly: true),
            Define("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false, createOnly: true),
            Define("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", false, createOnly: true),
            // Stored once at v2 (upstream's storage version); v1 is served converted, its extra fields in annotations.
            Define("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"], all: true),
            Define("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"], all: true) with { StoredAs = new StorageForm("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", HorizontalPodAutoscalerVersionConverter.Instance) },
            Define("batch", "v1", "Job", "jobs", true, all: true),
            Define("batch", "v1", "CronJob", "cronjobs", true, ["cj"], all: true),
            Define("networking.k8s.io", "v1", "Ingress", "ingresses", true, ["ing"]),
            Define("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, status: false),
            Define("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, ["sc"], status: false),
            Define("coordination.k8s.io", "v1", "Lease", "leases", true, status: false),
            Define("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, status: false),
            // Stored as core Events, in their key space, as upstream does: each API sees the other's events.
            Define("events.k8s.io", "v1", "Event", "events", true, ["ev"], status: false) with { StoredAs = new StorageForm("", "v1", "Event", "events", EventVersionConverter.Instance) },
            Define("rbac.authorization.k8s.io", "v1", "Role", "roles", true, status: false),
            Define("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, status: false),
            Define("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, status: false),
            Define("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, status: false),
            Define("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"]) with { ValidatesFinalizerNames = false },
            Define("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"]),
            Define("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, ["pc"], status: false),
            Define("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false, status: false),
            Define("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", false, ["csr"]) with { Subresources = [CertificateApprovalSubresource.Definition] },
            // Stored and served; this server calls no webhook and evaluates no admission policy.
            Define("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false, status: false),
            Define("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false, status: false),
            Define("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", false),
            Define("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", false, status: false),
            Define("apiregistration.k8s.io", "v1", "APIService", "apiservices", false),
        ];
    }
}
