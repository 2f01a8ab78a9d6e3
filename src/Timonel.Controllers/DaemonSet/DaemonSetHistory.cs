using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Controllers.Deployment;
using Timonel.Controllers.History;

namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// A DaemonSet's ControllerRevisions (upstream's constructHistory, dedupCurHistories, snapshot and cleanupHistory,
/// pkg/controller/daemon/update.go): the revision whose data is the current template is the current one (created,
/// or renumbered past the others when a rollback returns to it), duplicates are merged, and old revisions beyond
/// spec.revisionHistoryLimit that no pod uses are deleted.
/// </summary>
internal sealed class DaemonSetHistory
{
    /// <summary>SetDefaults_DaemonSet's revisionHistoryLimit.</summary>
    public const int DefaultHistoryLimit = 10;

    private readonly IKubernetes _client;
    private readonly ControllerHistory _history;

    public DaemonSetHistory(IKubernetes client, InformerCache<V1ControllerRevision> revisions)
    {
        _client = client;
        _history = new ControllerHistory(client, revisions);
    }

    /// <summary>
    /// constructHistory: the current revision (with its hash, the label the DaemonSet's pods carry), the old ones,
    /// and the collision count the current one was created with.
    /// </summary>
    public async Task<(V1ControllerRevision Current, List<V1ControllerRevision> Old, int? CollisionCount)> ConstructAsync(
        V1DaemonSet ds,
        V1OwnerReference owner,
        IReadOnlyList<V1Pod> pods,
        CancellationToken cancellationToken)
    {
        var revisions = await _history.ClaimAsync(ds.Metadata, owner, ds.Spec.Selector, cancellationToken).ConfigureAwait(false);
        var data = ControllerRevisions.TemplatePatch(ds.Spec.Template);
        var current = new List<V1ControllerRevision>();
        var old = new List<V1ControllerRevision>();
        foreach (var cached in revisions)
        {
            var revision = cached;
            if (revision.Metadata.Labels?.ContainsKey(ControllerRevisions.HashLabel) != true)
            {
                // Revisions written before the hash label existed get their name as hash (not a computed one, which
                // might collide).
                revision = await _client.AppsV1.PatchNamespacedControllerRevisionAsync(
                    new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ControllerRevisions.HashLabel] = revision.Metadata.Name } } }.ToJsonString(), V1Patch.PatchType.MergePatch),
                    revision.Metadata.Name,
                    revision.Metadata.NamespaceProperty,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            (JsonNode.DeepEquals(ControllerRevisions.Data(revision), data) ? current : old).Add(revision);
        }

        var next = ControllerRevisions.MaxRevision(old) + 1;
        var collisionCount = ds.Status?.CollisionCount;
        V1ControllerRevision cur;
        if (current.Count == 0)
        {
            (cur, collisionCount) = await SnapshotAsync(ds, owner, data, next, collisionCount, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            cur = await DedupAsync(current, pods, cancellationToken).ConfigureAwait(false);
            if (cur.Revision < next)
            {
                cur = await _history.UpdateRevisionAsync(cur, next, cancellationToken).ConfigureAwait(false);
            }
        }

        return (cur, old, collisionCount);
    }

    /// <summary>
    /// cleanupHistory: as many of the oldest revisions as exceed the limit, counting every old one but deleting only
    /// those no pod of the DaemonSet carries the hash of.
    /// </summary>
    public async Task CleanupAsync(V1DaemonSet ds, List<V1ControllerRevision> old, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var toKill = old.Count - (ds.Spec.RevisionHistoryLimit ?? DefaultHistoryLimit);
        if (toKill <= 0)
        {
            return;
        }

        var liveHashes = pods.Select(Hash).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var revision in ControllerRevisions.Sorted(old))
        {
            if (toKill <= 0)
            {
                break;
            }

            if (revision.Metadata.Labels?.TryGetValue(ControllerRevisions.HashLabel, out var hash) == true && liveHashes.Contains(hash))
            {
                continue;
            }

            await _history.DeleteAsync(revision, cancellationToken).ConfigureAwait(false);
            toKill--;
        }
    }

    public static string? Hash(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue(ControllerRevisions.HashLabel, out var hash) == true && hash.Length > 0 ? hash : null;

    /// <summary>
    /// snapshot: a revision named <c>ds-hash</c>, hashed as a pod template hash of the template and collision count
    /// (controller.ComputeHash), carrying the DaemonSet's annotations (kubectl rollout history's CHANGE-CAUSE).
    /// </summary>
    private async Task<(V1ControllerRevision, int?)> SnapshotAsync(V1DaemonSet ds, V1OwnerReference owner, JsonObject data, long revision, int? collisionCount, CancellationToken cancellationToken)
    {
        var snapshot = ControllerRevisions.New(ds.Metadata, owner, ds.Spec.Template.Metadata?.Labels, data, revision, collisionCount);
        snapshot.Metadata.Annotations = ds.Metadata.Annotations is null ? null : new Dictionary<string, string>(ds.Metadata.Annotations, StringComparer.Ordinal);
        return await _history.CreateAsync(ds.Metadata, snapshot, collisionCount, cancellationToken, count => PodTemplateHash.Compute(ds.Spec.Template, count)).ConfigureAwait(false);
    }

    /// <summary>
    /// dedupCurHistories: of several revisions equal to the template, the highest numbered stays; pods labelled with
    /// another's hash are relabelled to it, and the others are deleted.
    /// </summary>
    private async Task<V1ControllerRevision> DedupAsync(List<V1ControllerRevision> current, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var keep = current.MaxBy(r => r.Revision)!;
        if (current.Count == 1)
        {
            return keep;
        }

        var keepHash = keep.Metadata.Labels[ControllerRevisions.HashLabel];
        foreach (var pod in pods.Where(p => Hash(p) != keepHash))
        {
            await _client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ControllerRevisions.HashLabel] = keepHash } } }.ToJsonString(), V1Patch.PatchType.MergePatch),
                pod.Metadata.Name,
                pod.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var duplicate in current.Where(r => r.Metadata.Name != keep.Metadata.Name))
        {
            await _history.DeleteAsync(duplicate, cancellationToken).ConfigureAwait(false);
        }

        return keep;
    }
}
