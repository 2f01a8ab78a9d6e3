using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// The namespace field: sets metadata.namespace on namespaced objects, renames Namespace objects, and moves
/// (cluster)role binding subjects named "default" (api/filters/namespace, DefaultSubjectsOnly).
/// </summary>
public static class NamespaceTransformer
{
    // Kinds kustomize knows to be cluster-scoped (from the built-in OpenAPI schema it ships).
    public static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition",
        "PriorityClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "CSIDriver", "CSINode",
        "VolumeAttachment", "IngressClass", "RuntimeClass", "PodSecurityPolicy", "ComponentStatus", "CertificateSigningRequest",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "FlowSchema", "PriorityLevelConfiguration",
        "StorageVersion", "SelfSubjectReview", "TokenReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
        "SubjectAccessReview", "ClusterTrustBundle", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "IPAddress",
        "ServiceCIDR", "DeviceClass", "VolumeAttributesClass",
    ];

    public static void Apply(ResourceList ra, string ns)
    {
        foreach (var r in ra.Items)
        {
            if (r.Kind == "Namespace" && r.ApiVersion == "v1")
            {
                r.SetName(ns);
            }
            if (!ClusterScoped.Contains(r.Kind))
            {
                r.SetNamespace(ns);
            }
            if (r.Kind is "RoleBinding" or "ClusterRoleBinding" && r.Node["subjects"] is YSeq subjects)
            {
                foreach (var s in subjects.Items.OfType<YMap>().Where(s => s.GetString("name") == "default"))
                {
                    s.SetString("namespace", ns);
                }
            }
            if (r.Kind == "APIService" && r.Group == "apiregistration.k8s.io" && r.Node.GetMap("spec")?.GetMap("service") is { } svc)
            {
                svc.SetString("namespace", ns);
            }
            if (r.Kind == "CustomResourceDefinition"
                && r.Node.GetMap("spec")?.GetMap("conversion")?.GetMap("webhook")?.GetMap("clientConfig")?.GetMap("service") is { } hook)
            {
                hook.SetString("namespace", ns);
            }
        }
    }
}
