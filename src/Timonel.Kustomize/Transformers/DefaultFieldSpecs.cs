namespace Timonel.Kustomize.Transformers;

/// <summary>
/// Where kustomize's built-in transformers write by default (api/internal/konfig/builtinpluginconsts/*.go, v5.5):
/// labels, annotations, replicas, and the fields that refer to other objects by name.
/// </summary>
public static class DefaultFieldSpecs
{
    private static readonly string[] _podTemplateKinds = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"];

    /// <summary>metadataLabelsFieldSpecs: where labels go when they must not touch selectors.</summary>
    public static readonly IReadOnlyList<FieldSpec> MetadataLabels =
    [
        new("metadata/labels", true),
        new("spec/template/metadata/labels", true, "ReplicationController", Version: "v1"),
        new("spec/template/metadata/labels", true, "Deployment"),
        new("spec/template/metadata/labels", true, "ReplicaSet"),
        new("spec/template/metadata/labels", true, "DaemonSet"),
        new("spec/template/metadata/labels", true, "StatefulSet", "apps"),
        new("spec/volumeClaimTemplates[]/metadata/labels", true, "StatefulSet", "apps"),
        new("spec/template/metadata/labels", true, "Job", "batch"),
        new("spec/jobTemplate/metadata/labels", true, "CronJob", "batch"),
        new("spec/jobTemplate/spec/template/metadata/labels", true, "CronJob", "batch"),
    ];

    /// <summary>commonLabelFieldSpecs: selectors too, then the metadata labels.</summary>
    public static readonly IReadOnlyList<FieldSpec> CommonLabels = BuildCommonLabels();

    public static readonly IReadOnlyList<FieldSpec> CommonAnnotations =
    [
        new("metadata/annotations", true),
        new("spec/template/metadata/annotations", true, "ReplicationController", Version: "v1"),
        new("spec/template/metadata/annotations", true, "Deployment"),
        new("spec/template/metadata/annotations", true, "ReplicaSet"),
        new("spec/template/metadata/annotations", true, "DaemonSet"),
        new("spec/template/metadata/annotations", true, "StatefulSet"),
        new("spec/template/metadata/annotations", true, "Job", "batch"),
        new("spec/jobTemplate/metadata/annotations", true, "CronJob", "batch"),
        new("spec/jobTemplate/spec/template/metadata/annotations", true, "CronJob", "batch"),
    ];

    public static readonly IReadOnlyList<FieldSpec> Replicas =
    [
        new("spec/replicas", true, "Deployment"),
        new("spec/replicas", true, "ReplicationController"),
        new("spec/replicas", true, "ReplicaSet"),
        new("spec/replicas", true, "StatefulSet"),
    ];

    public static readonly IReadOnlyList<FieldSpec> Images =
    [
        new("spec/containers[]/image", true),
        new("spec/initContainers[]/image", true),
        new("spec/template/spec/containers[]/image", true),
        new("spec/template/spec/initContainers[]/image", true),
    ];

    private static List<FieldSpec> BuildCommonLabels()
    {
        var list = new List<FieldSpec>
        {
            new("spec/selector", true, "Service", Version: "v1"),
            new("spec/selector", true, "ReplicationController", Version: "v1"),
            new("spec/selector/matchLabels", true, "Deployment"),
        };
        string[] affinity =
        [
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        ];
        list.AddRange(affinity.Select(p => new FieldSpec(p, false, "Deployment", "apps")));
        list.Add(new("spec/selector/matchLabels", true, "ReplicaSet"));
        list.Add(new("spec/selector/matchLabels", true, "DaemonSet"));
        list.Add(new("spec/selector/matchLabels", true, "StatefulSet", "apps"));
        list.AddRange(affinity.Select(p => new FieldSpec(p, false, "StatefulSet", "apps")));
        list.Add(new("spec/selector/matchLabels", false, "Job", "batch"));
        list.Add(new("spec/jobTemplate/spec/selector/matchLabels", false, "CronJob", "batch"));
        list.Add(new("spec/selector/matchLabels", false, "PodDisruptionBudget", "policy"));
        list.Add(new("spec/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"));
        list.Add(new("spec/ingress/from/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"));
        list.Add(new("spec/egress/to/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"));
        list.AddRange(MetadataLabels);
        return list;
    }

    /// <summary>One kind of referred object and the fields that name it (nameReference config).</summary>
    public sealed record NameReference(string Kind, string Group, IReadOnlyList<FieldSpec> Referrers);

    public static readonly IReadOnlyList<NameReference> NameReferences = BuildNameReferences();

    // The pod spec lives at a different path in each workload kind; the referring fields inside it are the same.
    private static IEnumerable<(string Kind, string Version, string Prefix)> PodSpecs(bool includePodTemplate = true)
    {
        yield return ("Pod", "v1", "spec");
        if (includePodTemplate)
        {
            yield return ("PodTemplate", "", "template/spec");
        }
        foreach (var k in _podTemplateKinds)
        {
            yield return (k, "", "spec/template/spec");
        }
        yield return ("CronJob", "", "spec/jobTemplate/spec/template/spec");
    }

    private static IEnumerable<FieldSpec> InPodSpecs(params string[] suffixes) =>
        PodSpecs().SelectMany(p => suffixes.Select(s => new FieldSpec(p.Prefix + "/" + s, false, p.Kind, Version: p.Version)));

    private static List<NameReference> BuildNameReferences()
    {
        var scaled = new[] { "Deployment", "ReplicationController", "ReplicaSet", "StatefulSet" }
            .Select(k => new NameReference(k, "", [new("spec/scaleTargetRef/name", false, "HorizontalPodAutoscaler")]));
        var configMap = InPodSpecs(
                "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name", "initContainers/env/valueFrom/configMapKeyRef/name",
                "containers/envFrom/configMapRef/name", "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name")
            .Concat(
            [
                new("spec/configSource/configMap", false, "Node"),
                new("rules/resourceNames", false, "Role"),
                new("rules/resourceNames", false, "ClusterRole"),
                new("metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", false, "Ingress"),
            ]).ToList();
        var secret = InPodSpecs(
                "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name", "initContainers/env/valueFrom/secretKeyRef/name",
                "containers/envFrom/secretRef/name", "initContainers/envFrom/secretRef/name", "imagePullSecrets/name",
                "volumes/projected/sources/secret/name")
            .Concat(
            [
                new("spec/tls/secretName", false, "Ingress"),
                new("metadata/annotations/ingress.kubernetes.io\\/auth-secret", false, "Ingress"),
                new("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", false, "Ingress"),
                new("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", false, "Ingress"),
                new("imagePullSecrets/name", false, "ServiceAccount"),
                new("parameters/secretName", false, "StorageClass"),
                new("parameters/adminSecretName", false, "StorageClass"),
                new("parameters/userSecretName", false, "StorageClass"),
                new("parameters/secretRef", false, "StorageClass"),
                new("rules/resourceNames", false, "Role"),
                new("rules/resourceNames", false, "ClusterRole"),
                new("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", false, "Service", "serving.knative.dev", "v1"),
                new("spec/azureFile/secretName", false, "PersistentVolume"),
            ]).ToList();
        var service = new List<FieldSpec>
        {
            new("spec/serviceName", false, "StatefulSet", "apps"),
            new("spec/rules/http/paths/backend/serviceName", false, "Ingress"),
            new("spec/backend/serviceName", false, "Ingress"),
            new("spec/rules/http/paths/backend/service/name", false, "Ingress"),
            new("spec/defaultBackend/service/name", false, "Ingress"),
            new("spec/service/name", false, "APIService", "apiregistration.k8s.io"),
            new("webhooks/clientConfig/service", false, "ValidatingWebhookConfiguration", "admissionregistration.k8s.io"),
            new("webhooks/clientConfig/service", false, "MutatingWebhookConfiguration", "admissionregistration.k8s.io"),
        };
        var workloadsWithTemplate = new[] { "StatefulSet", "Deployment", "ReplicationController", "Job", "DaemonSet" };
        List<FieldSpec> PodField(string field) =>
        [
            new("spec/" + field, false, "Pod"),
            .. workloadsWithTemplate.Select(k => new FieldSpec("spec/template/spec/" + field, false, k)),
            new("spec/jobTemplate/spec/template/spec/" + field, false, "CronJob"),
        ];
        var serviceAccount = new List<FieldSpec>
        {
            new("subjects", false, "RoleBinding", "rbac.authorization.k8s.io"),
            new("subjects", false, "ClusterRoleBinding", "rbac.authorization.k8s.io"),
        };
        serviceAccount.AddRange(PodField("serviceAccountName"));
        var list = new List<NameReference>(scaled)
        {
            new("ConfigMap", "", configMap),
            new("Secret", "", secret),
            new("Service", "", service),
            new("Role", "rbac.authorization.k8s.io", [new("roleRef/name", false, "RoleBinding", "rbac.authorization.k8s.io")]),
            new("ClusterRole", "rbac.authorization.k8s.io",
            [
                new("roleRef/name", false, "RoleBinding", "rbac.authorization.k8s.io"),
                new("roleRef/name", false, "ClusterRoleBinding", "rbac.authorization.k8s.io"),
            ]),
            new("ServiceAccount", "", serviceAccount),
            new("PersistentVolumeClaim", "", PodField("volumes/persistentVolumeClaim/claimName")),
            new("PersistentVolume", "", [new("spec/volumeName", false, "PersistentVolumeClaim"), new("rules/resourceNames", false, "ClusterRole")]),
            new("StorageClass", "storage.k8s.io",
            [
                new("spec/storageClassName", false, "PersistentVolume"),
                new("spec/storageClassName", false, "PersistentVolumeClaim"),
                new("spec/volumeClaimTemplates/spec/storageClassName", false, "StatefulSet"),
            ]),
            new("PriorityClass", "scheduling.k8s.io", PodField("priorityClassName")),
            new("IngressClass", "networking.k8s.io", [new("spec/ingressClassName", false, "Ingress")]),
            new("ValidatingAdmissionPolicy", "admissionregistration.k8s.io",
                [new("spec/policyName", false, "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io")]),
        };
        return list;
    }
}
