using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Api.Selectors;
using Timonel.Client.Informers;

namespace Timonel.Controllers.History;

/// <summary>
/// A controller's access to its ControllerRevisions (upstream's history.Interface, realHistory): listed from the
/// shared informer's cache, written through the API. DaemonSet and StatefulSet keep their templates' history here.
/// </summary>
internal sealed class ControllerHistory
{
    private readonly IKubernetes _client;
    private readonly InformerCache<V1ControllerRevision> _revisions;

    public ControllerHistory(IKubernetes client, InformerCache<V1ControllerRevision> revisions)
    {
        _client = client;
        _revisions = revisions;
    }

    /// <summary>
    /// The revisions of <paramref name="owner"/>: those it controls that its selector matches, and orphans that match,
    /// adopted (ControllerRefManager rules: released once they stop matching, never adopted while the owner is deleted).
    /// </summary>
    public Task<List<V1ControllerRevision>> ClaimAsync(V1ObjectMeta owner, V1OwnerReference controllerReference, V1LabelSelector? selector, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            owner,
            controllerReference,
            selector,
            _revisions.List(owner.NamespaceProperty),
            adoptable: _ => true,
            releasable: _ => true,
            (revision, patch) => ControllerRefManager.PatchAsync(() => _client.AppsV1.PatchNamespacedControllerRevisionAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), revision.Metadata.Name, revision.Metadata.NamespaceProperty, cancellationToken: cancellationToken)));

    /// <summary>
    /// Creates <paramref name="revision"/> (history.CreateControllerRevision). A name taken by an equal revision
    /// answers that one; taken by a different one, the collision count goes up and the name is hashed again, as
    /// upstream does. Answers the stored revision and the collision count it was created with.
    /// </summary>
    /// <param name="hashOf">
    /// The hash for a collision count, when not history.HashControllerRevision of the data: DaemonSets name their
    /// revisions by the pod template hash (controller.ComputeHash of the template).
    /// </param>
    public async Task<(V1ControllerRevision Revision, int? CollisionCount)> CreateAsync(
        V1ObjectMeta owner,
        V1ControllerRevision revision,
        int? collisionCount,
        CancellationToken cancellationToken,
        Func<int?, string>? hashOf = null)
    {
        var data = ControllerRevisions.Data(revision) ?? [];
        while (true)
        {
            var hash = hashOf?.Invoke(collisionCount) ?? ControllerRevisions.Hash(data, collisionCount);
            var candidate = revision;
            candidate.Metadata.Name = ControllerRevisions.Name(owner.Name, hash);
            candidate.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
            candidate.Metadata.Labels[ControllerRevisions.HashLabel] = hash;
            try
            {
                var created = await _client.AppsV1.CreateNamespacedControllerRevisionAsync(candidate, owner.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (created, collisionCount);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = await _client.AppsV1.ReadNamespacedControllerRevisionAsync(candidate.Metadata.Name, owner.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (ControllerRevisions.Equal(existing, candidate))
                {
                    return (existing, collisionCount);
                }

                collisionCount = (collisionCount ?? 0) + 1;
            }
        }
    }

    /// <summary>Gives an existing revision a new number (history.UpdateControllerRevision), e.g. when a rollback reuses it.</summary>
    public Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, long newRevision, CancellationToken cancellationToken) =>
        _client.AppsV1.PatchNamespacedControllerRevisionAsync(
            new V1Patch($$"""{"revision":{{newRevision}}}""", V1Patch.PatchType.MergePatch),
            revision.Metadata.Name,
            revision.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken);

    /// <summary>Deletes a revision; one already gone is not an error.</summary>
    public async Task DeleteAsync(V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        try
        {
            await _client.AppsV1.DeleteNamespacedControllerRevisionAsync(revision.Metadata.Name, revision.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// Deletes the oldest revisions beyond <paramref name="limit"/> (spec.revisionHistoryLimit, default 10), sparing
    /// those still in use (<paramref name="live"/>: the current and update revisions, or the hashes pods still carry).
    /// </summary>
    public async Task TruncateAsync(IEnumerable<V1ControllerRevision> revisions, Func<V1ControllerRevision, bool> live, int limit, CancellationToken cancellationToken)
    {
        var history = ControllerRevisions.Sorted(revisions.Where(r => !live(r)));
        foreach (var revision in history.Take(Math.Max(0, history.Count - limit)))
        {
            await DeleteAsync(revision, cancellationToken).ConfigureAwait(false);
        }
    }
}
