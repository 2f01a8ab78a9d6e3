using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Timonel.Api.Patching;
using Timonel.Controllers.History;

namespace Timonel.Controllers.StatefulSet;

/// <summary>
/// A StatefulSet's ControllerRevisions (stateful_set_utils.go newRevision, ApplyRevision, nextRevision): each holds
/// a strategic merge patch replacing spec.template, labelled with the template's labels and annotated with the set's
/// annotations; applying one to the set gives the set as it was at that revision.
/// </summary>
internal static class StatefulSetRevisions
{
    private static readonly PatchSchema _schema = PatchSchemas.ForKind("apps/v1", "StatefulSet")!;

    public static V1ControllerRevision New(V1StatefulSet set, V1OwnerReference controllerReference, long revision, int? collisionCount)
    {
        var created = ControllerRevisions.New(set.Metadata, controllerReference, set.Spec.Template.Metadata?.Labels, ControllerRevisions.TemplatePatch(set.Spec.Template), revision, collisionCount);
        if (set.Metadata.Annotations is { Count: > 0 } annotations)
        {
            created.Metadata.Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal);
        }

        return created;
    }

    /// <summary>ApplyRevision: the set with the revision's patch applied.</summary>
    public static V1StatefulSet Apply(V1StatefulSet set, V1ControllerRevision revision)
    {
        var original = JsonNode.Parse(KubernetesJson.Serialize(set));
        var patched = StrategicMergePatch.Apply(original, ControllerRevisions.Data(revision) ?? [], _schema);
        return KubernetesJson.Deserialize<V1StatefulSet>(patched.ToJsonString());
    }

    /// <summary>nextRevision: one more than the highest, 1 for the first.</summary>
    public static long Next(IReadOnlyList<V1ControllerRevision> sorted) => sorted.Count == 0 ? 1 : (sorted[^1].Revision ?? 0) + 1;
}
