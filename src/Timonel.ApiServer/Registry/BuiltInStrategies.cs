using Timonel.ApiServer.Registry.Admissionregistration;
using Timonel.ApiServer.Registry.Apiregistration;
using Timonel.ApiServer.Registry.Apps;
using Timonel.ApiServer.Registry.Autoscaling;
using Timonel.ApiServer.Registry.Batch;
using Timonel.ApiServer.Registry.Certificates;
using Timonel.ApiServer.Registry.Coordination;
using Timonel.ApiServer.Registry.Core;
using Timonel.ApiServer.Registry.Discovery;
using Timonel.ApiServer.Registry.Networking;
using Timonel.ApiServer.Registry.Node;
using Timonel.ApiServer.Registry.Policy;
using Timonel.ApiServer.Registry.Rbac;
using Timonel.ApiServer.Registry.Scheduling;
using Timonel.ApiServer.Registry.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The strategies of the built-in kinds. Kinds not listed behave as <see cref="DefaultStrategies"/> says:
/// with spec and status unless they are data-only.
/// </summary>
public sealed class BuiltInStrategies : IResourceStrategyProvider
{
    private static readonly HashSet<string> _dataOnlyKinds =
    [
        "ConfigMap", "Secret", "Endpoints", "Event", "ServiceAccount", "LimitRange", "ControllerRevision", "IngressClass",
        "StorageClass", "Lease", "EndpointSlice", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
    ];

    private readonly Dictionary<(string Group, string Kind), IResourceStrategy> _specific;

    public BuiltInStrategies(TimeProvider? time = null)
    {
        _specific = new()
        {
            [("", "Pod")] = new PodStrategy(time),
            [("", "Service")] = new ServiceStrategy(),
            [("", "Namespace")] = new NamespaceStrategy(),
            [("", "Node")] = new NodeStrategy(),
            [("", "PersistentVolumeClaim")] = new PersistentVolumeClaimStrategy(),
            [("", "PersistentVolume")] = new PersistentVolumeStrategy(),
            [("", "Secret")] = new SecretStrategy(),
            [("", "ConfigMap")] = new ConfigMapStrategy(),
            [("", "Event")] = new EventStrategy(eventsApi: false),
            [("", "ServiceAccount")] = new ServiceAccountStrategy(),
            [("", "Endpoints")] = new EndpointsStrategy(),
            [("", "ResourceQuota")] = new ResourceQuotaStrategy(),
            [("apps", "Deployment")] = new DeploymentStrategy(),
            [("apps", "ReplicaSet")] = new ReplicaSetStrategy(),
            [("apps", "DaemonSet")] = new DaemonSetStrategy(),
            [("apps", "StatefulSet")] = new StatefulSetStrategy(),
            [("apps", "ControllerRevision")] = new ControllerRevisionStrategy(),
            [("batch", "Job")] = new JobStrategy(),
            [("batch", "CronJob")] = new CronJobStrategy(),
            [("networking.k8s.io", "Ingress")] = new IngressStrategy(),
            [("networking.k8s.io", "IngressClass")] = new IngressClassStrategy(),
            [("storage.k8s.io", "StorageClass")] = new StorageClassStrategy(),
            [("coordination.k8s.io", "Lease")] = new LeaseStrategy(),
            [("discovery.k8s.io", "EndpointSlice")] = new EndpointSliceStrategy(),
            [("events.k8s.io", "Event")] = new EventStrategy(eventsApi: true),
            [("rbac.authorization.k8s.io", "Role")] = new RoleStrategy(namespaced: true),
            [("rbac.authorization.k8s.io", "ClusterRole")] = new RoleStrategy(namespaced: false),
            [("rbac.authorization.k8s.io", "RoleBinding")] = new RoleBindingStrategy(namespaced: true),
            [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = new RoleBindingStrategy(namespaced: false),
            [("apiextensions.k8s.io", "CustomResourceDefinition")] = new Apiextensions.CustomResourceDefinitionStrategy(time),
            [("", "ReplicationController")] = new ReplicationControllerStrategy(),
            [("", "PodTemplate")] = new PodTemplateStrategy(),
            [("policy", "PodDisruptionBudget")] = new PodDisruptionBudgetStrategy(),
            [("scheduling.k8s.io", "PriorityClass")] = new PriorityClassStrategy(),
            [("node.k8s.io", "RuntimeClass")] = new RuntimeClassStrategy(),
            [("autoscaling", "HorizontalPodAutoscaler")] = new HorizontalPodAutoscalerStrategy(),
            [("certificates.k8s.io", "CertificateSigningRequest")] = new CertificateSigningRequestStrategy(),
            [("admissionregistration.k8s.io", "MutatingWebhookConfiguration")] = new WebhookConfigurationStrategy(mutating: true),
            [("admissionregistration.k8s.io", "ValidatingWebhookConfiguration")] = new WebhookConfigurationStrategy(mutating: false),
            [("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")] = new ValidatingAdmissionPolicyStrategy(),
            [("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding")] = new ValidatingAdmissionPolicyBindingStrategy(),
            [("apiregistration.k8s.io", "APIService")] = new APIServiceStrategy(time),
        };
    }

    public IResourceStrategy For(string group, string kind) =>
        _specific.TryGetValue((group, kind), out var strategy) ? strategy
        : _dataOnlyKinds.Contains(kind) ? DefaultStrategies.DataOnly : DefaultStrategies.SpecAndStatus;
}
