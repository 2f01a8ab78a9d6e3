using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth.Node;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The NodeRestriction plugin (plugin/pkg/admission/noderestriction/admission.go): what the Node authorizer lets
/// every node do, narrowed to the node's own objects. A node may create and update only its own Node (without
/// node-restriction.kubernetes.io labels, unknown kubernetes.io/k8s.io labels, taint changes or a configSource),
/// touch only its own Lease in kube-node-lease, create only mirror pods bound to itself that refer to nothing, update
/// the status of and delete or evict only pods bound to it, change only capacity and conditions of a claim's status,
/// and request tokens only bound to its own pods. Other users pass untouched. Messages are upstream's.
/// </summary>
public sealed class NodeRestrictionAdmission : IMutatingAdmissionPlugin
{
    // api.MirrorPodAnnotationKey.
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    // v1.LabelNamespaceNodeRestriction.
    private const string NodeRestrictionLabelNamespace = "node-restriction.kubernetes.io";

    // k8s.io/kubelet/pkg/apis well_known_labels.go: the labels and label namespaces a kubelet may set on its Node.
    private static readonly HashSet<string> _kubeletLabels = new(StringComparer.Ordinal)
    {
        "kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
        "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch",
        "beta.kubernetes.io/os", "beta.kubernetes.io/arch",
    };

    private static readonly string[] _kubeletLabelNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

    private readonly AdmissionServices _services;

    public NodeRestrictionAdmission(AdmissionServices services) => _services = services;

    public string Name => "NodeRestriction";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update or AdmissionOperation.Delete;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (!NodeIdentity.TryGetNodeName(attributes.User, out var node))
        {
            return;
        }

        if (node.Length == 0)
        {
            throw Forbidden(attributes, $"could not determine node from user \"{attributes.User!.Name}\"");
        }

        switch (attributes.Resource.Group, attributes.Resource.Plural)
        {
            case ("", "pods"):
                switch (attributes.Subresource)
                {
                    case "":
                        await AdmitPodAsync(node, attributes, cancellationToken);
                        break;
                    case "status":
                        AdmitPodStatus(node, attributes);
                        break;
                    case "eviction":
                        await AdmitPodEvictionAsync(node, attributes, cancellationToken);
                        break;
                    default:
                        throw Forbidden(attributes, $"unexpected pod subresource \"{attributes.Subresource}\", only 'status' and 'eviction' are allowed");
                }

                break;
            case ("", "nodes"):
                AdmitNode(node, attributes);
                break;
            case ("", "persistentvolumeclaims"):
                if (attributes.Subresource != "status")
                {
                    throw Forbidden(attributes, "may only update PVC status");
                }

                AdmitClaimStatus(node, attributes);
                break;
            case ("", "serviceaccounts"):
                await AdmitServiceAccountAsync(node, attributes, cancellationToken);
                break;
            case ("coordination.k8s.io", "leases"):
                AdmitNamedAsNode(node, attributes, $"can only access leases in the \"kube-node-lease\" system namespace", "can only access node lease with the same name as the requesting node", requiredNamespace: "kube-node-lease");
                break;
            case ("storage.k8s.io", "csinodes"):
                AdmitNamedAsNode(node, attributes, "", "can only access CSINode with the same name as the requesting node", requiredNamespace: null);
                break;
        }
    }

    private async Task AdmitPodAsync(string node, AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        switch (attributes.Operation)
        {
            case AdmissionOperation.Create:
                await AdmitMirrorPodCreateAsync(node, attributes, cancellationToken);
                break;
            case AdmissionOperation.Delete:
                var existing = await _services.Registry.Get("", "pods").GetAsync(attributes.Namespace, attributes.Name, cancellationToken);
                if (existing.StringAt("spec", "nodeName") != node)
                {
                    throw Forbidden(attributes, $"node \"{node}\" can only delete pods with spec.nodeName set to itself");
                }

                break;
            default:
                throw Forbidden(attributes, $"unexpected operation \"{OperationName(attributes.Operation)}\", node \"{node}\" can only create and delete mirror pods");
        }
    }

    private async Task AdmitMirrorPodCreateAsync(string node, AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var pod = attributes.Object!;
        if (!pod.Annotations().ContainsKey(MirrorPodAnnotation))
        {
            throw Forbidden(attributes, $"pod does not have \"{MirrorPodAnnotation}\" annotation, node \"{node}\" can only create mirror pods");
        }

        if (pod.StringAt("spec", "nodeName") != node)
        {
            throw Forbidden(attributes, $"node \"{node}\" can only create pods with spec.nodeName set to itself");
        }

        var owners = pod.ArrayAt("metadata", "ownerReferences").Objects().ToList();
        if (owners.Count > 1)
        {
            throw Forbidden(attributes, $"node \"{node}\" can only create pods with a single owner reference set to itself");
        }

        if (owners.Count == 0 || owners[0].StringAt("apiVersion") != "v1" || owners[0].StringAt("kind") != "Node" || owners[0].StringAt("name") != node)
        {
            throw Forbidden(attributes, $"node \"{node}\" can only create pods with an owner reference set to itself");
        }

        var owner = owners[0];
        if (owner.BoolAt("controller") != true)
        {
            throw Forbidden(attributes, $"node \"{node}\" can only create pods with a controller owner reference set to itself");
        }

        if (owner.BoolAt("blockOwnerDeletion") == true)
        {
            throw Forbidden(attributes, $"node \"{node}\" must not set blockOwnerDeletion on an owner reference");
        }

        var nodeObject = await _services.Registry.Get("", "nodes").GetAsync(null, node, cancellationToken);
        var ownerUid = owner.StringAt("uid") ?? "";
        if (ownerUid != (nodeObject.Uid() ?? ""))
        {
            throw Forbidden(attributes, $"node {node} UID mismatch: expected {ownerUid} got {nodeObject.Uid()}");
        }

        var references = PodReferences.Of(pod);
        if (!string.IsNullOrEmpty(pod.StringAt("spec", "serviceAccountName")))
        {
            throw Forbidden(attributes, $"node \"{node}\" can not create pods that reference a service account");
        }

        if (references.Any(r => r.Type == VertexType.Secret))
        {
            throw Forbidden(attributes, $"node \"{node}\" can not create pods that reference secrets");
        }

        if (references.Any(r => r.Type == VertexType.ConfigMap))
        {
            throw Forbidden(attributes, $"node \"{node}\" can not create pods that reference configmaps");
        }

        if (pod.ArrayAt("spec", "volumes").Objects().Any(v => v.ArrayAt("projected", "sources").Objects().Any(s => s["clusterTrustBundle"] is JsonObject)))
        {
            throw Forbidden(attributes, $"node \"{node}\" can not create pods that reference clustertrustbundles");
        }

        if (pod.ArrayAt("spec", "volumes").Objects().Any(v => v["persistentVolumeClaim"] is JsonObject))
        {
            throw Forbidden(attributes, $"node \"{node}\" can not create pods that reference persistentvolumeclaims");
        }
    }

    private static void AdmitPodStatus(string node, AdmissionAttributes attributes)
    {
        if (attributes.Operation != AdmissionOperation.Update)
        {
            throw Forbidden(attributes, $"unexpected operation \"{OperationName(attributes.Operation)}\"");
        }

        if (attributes.OldObject!.StringAt("spec", "nodeName") != node)
        {
            throw Forbidden(attributes, $"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself");
        }

        if (!JsonNode.DeepEquals(attributes.OldObject.At("metadata", "labels"), attributes.Object!.At("metadata", "labels")))
        {
            throw Forbidden(attributes, $"node \"{node}\" cannot update labels through pod status");
        }

        if (!JsonNode.DeepEquals(attributes.OldObject.At("status", "resourceClaimStatuses"), attributes.Object.At("status", "resourceClaimStatuses")))
        {
            throw Forbidden(attributes, $"node \"{node}\" cannot update resource claim statues");
        }
    }

    private async Task AdmitPodEvictionAsync(string node, AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Operation != AdmissionOperation.Create)
        {
            throw Forbidden(attributes, $"unexpected operation {OperationName(attributes.Operation)}");
        }

        var podName = attributes.Name.Length > 0 ? attributes.Name : attributes.Object?.StringAt("metadata", "name") ?? "";
        if (podName.Length == 0)
        {
            throw Forbidden(attributes, "could not determine pod from request data");
        }

        var existing = await _services.Registry.Get("", "pods").GetAsync(attributes.Namespace, podName, cancellationToken);
        if (existing.StringAt("spec", "nodeName") != node)
        {
            throw Forbidden(attributes, $"node {node} can only evict pods with spec.nodeName set to itself");
        }
    }

    private static void AdmitClaimStatus(string node, AdmissionAttributes attributes)
    {
        if (attributes.Operation != AdmissionOperation.Update)
        {
            throw Forbidden(attributes, $"unexpected operation \"{OperationName(attributes.Operation)}\"");
        }

        // Everything but resourceVersion, managedFields and the status fields a kubelet reports must stay as stored
        // (with 1.32's RecoverVolumeExpansionFailure, allocatedResources and allocatedResourceStatuses too).
        static JsonObject Comparable(JsonObject claim)
        {
            var copy = claim.DeepClone().AsObject();
            copy.ObjectAt("metadata")?.Remove("resourceVersion");
            copy.ObjectAt("metadata")?.Remove("managedFields");
            foreach (var field in new[] { "capacity", "conditions", "allocatedResources", "allocatedResourceStatuses" })
            {
                copy.ObjectAt("status")?.Remove(field);
            }

            return copy;
        }

        if (!JsonNode.DeepEquals(Comparable(attributes.OldObject!), Comparable(attributes.Object!)))
        {
            // Upstream appends cmp.Diff of the two claims, a Go-specific rendering not reproduced here.
            throw Forbidden(attributes, $"node \"{node}\" is not allowed to update fields other than status.capacity and status.conditions");
        }
    }

    private static void AdmitNode(string node, AdmissionAttributes attributes)
    {
        var requested = attributes.Name.Length > 0 ? attributes.Name : attributes.Object?.StringAt("metadata", "name") ?? "";
        if (requested != node)
        {
            throw Forbidden(attributes, $"node \"{node}\" is not allowed to modify node \"{requested}\"");
        }

        var updated = attributes.Object;
        if (attributes.Operation == AdmissionOperation.Create && updated is not null)
        {
            if (updated.At("spec", "configSource") is JsonObject)
            {
                throw Forbidden(attributes, $"node \"{node}\" is not allowed to create pods with a non-nil configSource");
            }

            var forbidden = ForbiddenLabels(ModifiedLabels(updated.Labels(), new Dictionary<string, string>()));
            if (forbidden.Count > 0)
            {
                throw Forbidden(attributes, $"node \"{node}\" is not allowed to set the following labels: {string.Join(", ", forbidden)}");
            }
        }

        if (attributes.Operation == AdmissionOperation.Update && updated is not null && attributes.OldObject is { } old)
        {
            if (updated.At("spec", "configSource") is JsonObject source && !JsonNode.DeepEquals(source, old.At("spec", "configSource")))
            {
                throw Forbidden(attributes, $"node \"{node}\" is not allowed to update configSource to a new non-nil configSource");
            }

            if (!SameTaints(updated.ArrayAt("spec", "taints"), old.ArrayAt("spec", "taints")))
            {
                throw Forbidden(attributes, $"node \"{node}\" is not allowed to modify taints");
            }

            var forbidden = ForbiddenLabels(ModifiedLabels(updated.Labels(), old.Labels()));
            if (forbidden.Count > 0)
            {
                // Upstream's text names no node here.
                throw Forbidden(attributes, $"is not allowed to modify labels: {string.Join(", ", forbidden)}");
            }
        }
    }

    // apiequality.Semantic.DeepEqual treats a nil and an empty list alike.
    private static bool SameTaints(JsonArray? updated, JsonArray? old) =>
        (updated is null || updated.Count == 0) && (old is null || old.Count == 0) || JsonNode.DeepEquals(updated, old);

    private async Task AdmitServiceAccountAsync(string node, AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Operation != AdmissionOperation.Create || attributes.Subresource != "token")
        {
            return;
        }

        // A node's token requests must be bound to a pod scheduled on it.
        var reference = attributes.Object?.ObjectAt("spec", "boundObjectRef");
        if (reference is null || reference.StringAt("apiVersion") != "v1" || reference.StringAt("kind") != "Pod" || string.IsNullOrEmpty(reference.StringAt("name")))
        {
            throw Forbidden(attributes, "node requested token not bound to a pod");
        }

        var uid = reference.StringAt("uid") ?? "";
        if (uid.Length == 0)
        {
            throw Forbidden(attributes, "node requested token with a pod binding without a uid");
        }

        var pod = await _services.Registry.Get("", "pods").GetAsync(attributes.Namespace, reference.StringAt("name")!, cancellationToken);
        if (pod.Uid() != uid)
        {
            throw Forbidden(attributes, $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        if (pod.StringAt("spec", "nodeName") != node)
        {
            throw Forbidden(attributes, "node requested token bound to a pod scheduled on a different node");
        }
    }

    // Leases and CSINodes: named after the node (on create the name is the object's).
    private static void AdmitNamedAsNode(string node, AdmissionAttributes attributes, string namespaceMessage, string nameMessage, string? requiredNamespace)
    {
        if (requiredNamespace is not null && attributes.Namespace != requiredNamespace)
        {
            throw Forbidden(attributes, namespaceMessage);
        }

        var name = attributes.Operation == AdmissionOperation.Create ? attributes.Object?.StringAt("metadata", "name") ?? "" : attributes.Name;
        if (name != node)
        {
            throw Forbidden(attributes, nameMessage);
        }
    }

    private static SortedSet<string> ModifiedLabels(IReadOnlyDictionary<string, string> updated, IReadOnlyDictionary<string, string> old)
    {
        var modified = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in updated)
        {
            if (!old.TryGetValue(key, out var was) || was != value)
            {
                modified.Add(key);
            }
        }

        foreach (var key in old.Keys)
        {
            if (!updated.ContainsKey(key))
            {
                modified.Add(key);
            }
        }

        return modified;
    }

    /// <summary>getForbiddenLabels: node-restriction.kubernetes.io labels, and kubernetes.io/k8s.io labels a kubelet does not own; sorted.</summary>
    private static List<string> ForbiddenLabels(SortedSet<string> modified) =>
        [.. modified.Where(label =>
        {
            var ns = LabelNamespace(label);
            return ns == NodeRestrictionLabelNamespace || ns.EndsWith("." + NodeRestrictionLabelNamespace, StringComparison.Ordinal)
                || (IsKubernetesLabel(ns) && !IsKubeletLabel(label, ns));
        })];

    private static bool IsKubernetesLabel(string ns) =>
        ns is "kubernetes.io" or "k8s.io" || ns.EndsWith(".kubernetes.io", StringComparison.Ordinal) || ns.EndsWith(".k8s.io", StringComparison.Ordinal);

    private static bool IsKubeletLabel(string label, string ns) =>
        _kubeletLabels.Contains(label) || _kubeletLabelNamespaces.Any(allowed => ns == allowed || ns.EndsWith("." + allowed, StringComparison.Ordinal));

    private static string LabelNamespace(string key) => key.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? key[..slash] : "";

    // admission.Operation's strings.
    private static string OperationName(AdmissionOperation operation) => operation.ToString().ToUpperInvariant();

    /// <summary>admission.NewForbidden: the resource and the object's name (from the object on create) with the reason.</summary>
    private static StatusException Forbidden(AdmissionAttributes attributes, string reason)
    {
        var name = attributes.Name.Length > 0 ? attributes.Name : attributes.Object?.StringAt("metadata", "name") ?? "";
        var resource = StatusException.Qualified(attributes.Resource.Plural, attributes.Resource.Group);
        return name.Length > 0
            ? StatusException.Forbidden(attributes.Resource.Group, attributes.Resource.Plural, name, reason)
            : new StatusException(403, "Forbidden", $"{resource} is forbidden: {reason}");
    }
}
