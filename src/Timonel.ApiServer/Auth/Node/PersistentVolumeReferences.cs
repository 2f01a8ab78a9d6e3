using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// What a persistent volume relates to in upstream's graph (graph.AddPV): the claim it is bound to (spec.claimRef)
/// and the secrets its source names (pkg/api/v1/persistentvolume VisitPVSecretNames), each with its own namespace.
/// </summary>
public static class PersistentVolumeReferences
{
    private static readonly string[] _secretRefSources = ["cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos"];
    private static readonly string[] _csiSecretRefs = ["controllerPublishSecretRef", "nodePublishSecretRef", "controllerExpandSecretRef", "nodeStageSecretRef", "nodeExpandSecretRef"];

    /// <summary>The bound claim, or null when the volume is not bound.</summary>
    public static GraphReference? Claim(JsonObject pv) =>
        pv.StringAt("spec", "claimRef", "name") is { Length: > 0 } name
            ? new GraphReference(VertexType.PersistentVolumeClaim, pv.StringAt("spec", "claimRef", "namespace") ?? "", name)
            : null;

    public static IReadOnlyList<GraphReference> Secrets(JsonObject pv)
    {
        var spec = pv.ObjectAt("spec");
        var secrets = new HashSet<GraphReference>();
        if (spec is null)
        {
            return [];
        }

        void Add(JsonObject? reference)
        {
            if (reference?.StringAt("name") is { Length: > 0 } name)
            {
                secrets.Add(new GraphReference(VertexType.Secret, reference.StringAt("namespace") ?? "", name));
            }
        }

        foreach (var source in _secretRefSources)
        {
            Add(spec.ObjectAt(source, "secretRef"));
        }

        foreach (var field in _csiSecretRefs)
        {
            Add(spec.ObjectAt("csi", field));
        }

        if (spec.StringAt("azureFile", "secretName") is { Length: > 0 } azureSecret)
        {
            // An azureFile volume without secretNamespace reads the secret from its claim's namespace.
            var ns = spec.StringAt("azureFile", "secretNamespace") ?? spec.StringAt("claimRef", "namespace") ?? "";
            secrets.Add(new GraphReference(VertexType.Secret, ns, azureSecret));
        }

        return [.. secrets];
    }
}
