namespace Timonel.Api.Patching;

/// <summary>
/// Strategic-merge metadata of the built-in kinds, transcribed from the <c>patchStrategy</c>/<c>patchMergeKey</c>
/// struct tags of k8s.io/api v0.32 (core/v1, apps/v1, batch/v1, networking/v1, policy/v1, autoscaling/v2,
/// storage/v1, admissionregistration/v1, flowcontrol/v1) and metav1.ObjectMeta. Kinds not listed are custom
/// resources, for which upstream refuses strategic merge patch (415).
/// </summary>
public static class PatchSchemas
{
    private static readonly Dictionary<(string ApiVersion, string Kind), PatchSchema> _kinds = Build();

    /// <summary>The schema of a built-in kind, or null for kinds without strategic merge support (custom resources).</summary>
    public static PatchSchema? ForKind(string apiVersion, string kind) => _kinds.GetValueOrDefault((apiVersion, kind));

    /// <summary>Whether the API server accepts <c>application/strategic-merge-patch+json</c> for this kind.</summary>
    public static bool SupportsStrategicMerge(string apiVersion, string kind) => _kinds.ContainsKey((apiVersion, kind));

    private static Dictionary<(string, string), PatchSchema> Build()
    {
        // metav1.ObjectMeta
        var objectMeta = new PatchSchema("v1.ObjectMeta").WithMergeList("ownerReferences", "uid").WithMergeSet("finalizers");

        // core/v1 building blocks
        var container = new PatchSchema("v1.Container")
            .WithMergeList("ports", "containerPort")
            .WithMergeList("env", "name")
            .WithMergeList("volumeMounts", "mountPath")
            .WithMergeList("volumeDevices", "devicePath");
        var containerStatus = new PatchSchema("v1.ContainerStatus")
            .WithMergeList("volumeMounts", "mountPath")
            .WithMergeList("allocatedResourcesStatus", "name");
        var podSpec = new PatchSchema("v1.PodSpec")
            .WithMergeList("volumes", "name") // merge,retainKeys: retainKeys only shapes client-side patches
            .WithMergeList("initContainers", "name", container)
            .WithMergeList("containers", "name", container)
            .WithMergeList("ephemeralContainers", "name", container) // EphemeralContainerCommon has Container's tags
            .WithMergeList("imagePullSecrets", "name")
            .WithMergeList("hostAliases", "ip")
            .WithMergeList("topologySpreadConstraints", "topologyKey")
            .WithMergeList("schedulingGates", "name")
            .WithMergeList("resourceClaims", "name");
        var podStatus = new PatchSchema("v1.PodStatus")
            .WithMergeList("conditions", "type")
            .WithMergeList("hostIPs", "ip")
            .WithMergeList("podIPs", "ip")
            .WithMergeList("resourceClaimStatuses", "name")
            .WithList("containerStatuses", containerStatus)
            .WithList("initContainerStatuses", containerStatus)
            .WithList("ephemeralContainerStatuses", containerStatus);
        var podTemplateSpec = new PatchSchema("v1.PodTemplateSpec").With("metadata", objectMeta).With("spec", podSpec);
        var conditionsStatus = new PatchSchema("status").WithMergeList("conditions", "type");

        PatchSchema Kind(string name, PatchSchema? spec = null, PatchSchema? status = null)
        {
            var schema = new PatchSchema(name).With("metadata", objectMeta);
            if (spec is not null)
            {
                schema.With("spec", spec);
            }
            if (status is not null)
            {
                schema.With("status", status);
            }
            return schema;
        }

        var templated = new PatchSchema("spec").With("template", podTemplateSpec);
        var jobSpec = new PatchSchema("v1.JobSpec").With("template", podTemplateSpec);
        var kinds = new Dictionary<(string, string), PatchSchema>
        {
            [("v1", "Pod")] = Kind("Pod", podSpec, podStatus),
            [("v1", "PodTemplate")] = Kind("PodTemplate").With("template", podTemplateSpec),
            [("v1", "ReplicationController")] = Kind("ReplicationController", templated, conditionsStatus),
            [("v1", "Service")] = Kind("Service", new PatchSchema("v1.ServiceSpec").WithMergeList("ports", "port"), conditionsStatus),
            [("v1", "ServiceAccount")] = Kind("ServiceAccount").WithMergeList("secrets", "name"),
            [("v1", "Node")] = Kind("Node", new PatchSchema("v1.NodeSpec").WithMergeSet("podCIDRs"),
                new PatchSchema("v1.NodeStatus").WithMergeList("conditions", "type").WithMergeList("addresses", "type")),
            [("v1", "Namespace")] = Kind("Namespace", status: conditionsStatus),
            [("v1", "PersistentVolumeClaim")] = Kind("PersistentVolumeClaim", status: conditionsStatus),
            [("v1", "ComponentStatus")] = Kind("ComponentStatus").WithMergeList("conditions", "type"),
            [("apps/v1", "Deployment")] = Kind("Deployment",
                new PatchSchema("v1.DeploymentSpec").With("template", podTemplateSpec), // strategy: retainKeys (client-side only)
                conditionsStatus),
            [("apps/v1", "ReplicaSet")] = Kind("ReplicaSet", templated, conditionsStatus),
            [("apps/v1", "DaemonSet")] = Kind("DaemonSet", templated, conditionsStatus),
            [("apps/v1", "StatefulSet")] = Kind("StatefulSet", templated, conditionsStatus),
            [("batch/v1", "Job")] = Kind("Job", jobSpec, conditionsStatus),
            [("batch/v1", "CronJob")] = Kind("CronJob", new PatchSchema("v1.CronJobSpec")
                .With("jobTemplate", new PatchSchema("v1.JobTemplateSpec").With("metadata", objectMeta).With("spec", jobSpec))),
            [("policy/v1", "PodDisruptionBudget")] = Kind("PodDisruptionBudget",
                new PatchSchema("v1.PodDisruptionBudgetSpec").WithReplace("selector"), conditionsStatus),
            [("autoscaling/v2", "HorizontalPodAutoscaler")] = Kind("HorizontalPodAutoscaler", status: conditionsStatus),
            [("storage.k8s.io/v1", "CSINode")] = Kind("CSINode", new PatchSchema("v1.CSINodeSpec").WithMergeList("drivers", "name")),
            [("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration")] = Kind("ValidatingWebhookConfiguration")
                .WithMergeList("webhooks", "name", new PatchSchema("v1.ValidatingWebhook").WithMergeList("matchConditions", "name")),
            [("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")] = Kind("MutatingWebhookConfiguration")
                .WithMergeList("webhooks", "name", new PatchSchema("v1.MutatingWebhook").WithMergeList("matchConditions", "name")),
            [("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")] = Kind("ValidatingAdmissionPolicy",
                new PatchSchema("v1.ValidatingAdmissionPolicySpec").WithMergeList("matchConditions", "name").WithMergeList("variables", "name")),
            [("flowcontrol.apiserver.k8s.io/v1", "FlowSchema")] = Kind("FlowSchema", status: conditionsStatus),
            [("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration")] = Kind("PriorityLevelConfiguration", status: conditionsStatus),
        };

        // Built-in kinds whose only tagged fields are in ObjectMeta.
        string[] metadataOnly =
        [
            "v1/ConfigMap", "v1/Secret", "v1/Endpoints", "v1/Event", "v1/PersistentVolume", "v1/LimitRange",
            "v1/ResourceQuota", "v1/Binding",
            "apps/v1/ControllerRevision",
            "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy",
            "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/ClusterRole",
            "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
            "coordination.k8s.io/v1/Lease", "discovery.k8s.io/v1/EndpointSlice", "events.k8s.io/v1/Event",
            "autoscaling/v1/HorizontalPodAutoscaler", "scheduling.k8s.io/v1/PriorityClass",
            "storage.k8s.io/v1/StorageClass", "storage.k8s.io/v1/CSIDriver", "storage.k8s.io/v1/VolumeAttachment",
            "node.k8s.io/v1/RuntimeClass", "certificates.k8s.io/v1/CertificateSigningRequest",
            "apiextensions.k8s.io/v1/CustomResourceDefinition", "apiregistration.k8s.io/v1/APIService",
            "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
        ];
        foreach (var entry in metadataOnly)
        {
            var slash = entry.LastIndexOf('/');
            kinds[(entry[..slash], entry[(slash + 1)..])] = Kind(entry[(slash + 1)..]);
        }
        return kinds;
    }
}
