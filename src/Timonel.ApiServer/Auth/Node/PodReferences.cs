using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// What a pod refers to, as upstream's graph.AddPod collects it (plugin/pkg/auth/authorizer/node/graph.go with
/// pkg/api/v1/pod's VisitPodSecretNames and VisitPodConfigmapNames): its service account, the secrets of image pull
/// secrets, env, envFrom and volumes (secret, projected and the plugins with a secretRef), the configmaps of env,
/// envFrom and volumes, its claims and the claims of its generic ephemeral volumes (named pod-volume).
/// </summary>
public static class PodReferences
{
    // Volume sources whose secretRef names a secret in the pod's namespace (VisitPodSecretNames).
    private static readonly string[] _secretRefSources = ["cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos"];

    public static IReadOnlyList<GraphReference> Of(JsonObject pod)
    {
        var ns = pod.StringAt("metadata", "namespace") ?? "";
        var podName = pod.StringAt("metadata", "name") ?? "";
        var spec = pod.ObjectAt("spec");
        var references = new HashSet<GraphReference> { new(VertexType.Pod, ns, podName) };
        if (spec is null)
        {
            return [.. references];
        }

        void Add(VertexType type, string? name)
        {
            if (!string.IsNullOrEmpty(name))
            {
                references.Add(new GraphReference(type, ns, name));
            }
        }

        Add(VertexType.ServiceAccount, spec.StringAt("serviceAccountName"));
        foreach (var pull in spec.ArrayAt("imagePullSecrets").Objects())
        {
            Add(VertexType.Secret, pull.StringAt("name"));
        }

        foreach (var containers in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in spec.ArrayAt(containers).Objects())
            {
                foreach (var envFrom in container.ArrayAt("envFrom").Objects())
                {
                    Add(VertexType.Secret, envFrom.StringAt("secretRef", "name"));
                    Add(VertexType.ConfigMap, envFrom.StringAt("configMapRef", "name"));
                }

                foreach (var env in container.ArrayAt("env").Objects())
                {
                    Add(VertexType.Secret, env.StringAt("valueFrom", "secretKeyRef", "name"));
                    Add(VertexType.ConfigMap, env.StringAt("valueFrom", "configMapKeyRef", "name"));
                }
            }
        }

        foreach (var volume in spec.ArrayAt("volumes").Objects())
        {
            Add(VertexType.Secret, volume.StringAt("secret", "secretName"));
            Add(VertexType.Secret, volume.StringAt("azureFile", "secretName"));
            Add(VertexType.Secret, volume.StringAt("csi", "nodePublishSecretRef", "name"));
            foreach (var source in _secretRefSources)
            {
                Add(VertexType.Secret, volume.StringAt(source, "secretRef", "name"));
            }

            Add(VertexType.ConfigMap, volume.StringAt("configMap", "name"));
            foreach (var projected in volume.ArrayAt("projected", "sources").Objects())
            {
                Add(VertexType.Secret, projected.StringAt("secret", "name"));
                Add(VertexType.ConfigMap, projected.StringAt("configMap", "name"));
            }

            Add(VertexType.PersistentVolumeClaim, volume.StringAt("persistentVolumeClaim", "claimName"));
            if (volume["ephemeral"] is JsonObject)
            {
                // ephemeral.VolumeClaimName: the claim a generic ephemeral volume gets is named <pod>-<volume>.
                Add(VertexType.PersistentVolumeClaim, podName + "-" + volume.StringAt("name"));
            }
        }

        return [.. references];
    }
}
