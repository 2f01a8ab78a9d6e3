using k8s.Models;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// The graph of owners and dependents by UID, kept from what the metadata informers observe (upstream's GraphBuilder,
/// processGraphChanges in pkg/controller/garbagecollector/graph_builder.go), and the decisions that follow from a
/// change: which objects to attempt to delete (their owners may be gone, or they wait on their dependents) and which
/// owners to orphan their dependents. Upstream feeds changes through a queue to one goroutine; here each change is
/// applied at once under one lock, which keeps the same order per informer and lets a test see its effect at once.
/// </summary>
internal sealed class OwnerGraph
{
    // Upstream's absentOwnerCache holds 500 (garbagecollector.go, NewGarbageCollector: NewReferenceCache(500)).
    private const int AbsentOwnersKept = 500;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, GraphNode> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<ObjectIdentity> _absentOwners = [];
    private readonly Queue<ObjectIdentity> _absentOrder = new();
    private readonly Action<string, bool> _attemptToDelete;
    private readonly Action<string> _attemptToOrphan;
    private readonly Action<InvalidOwnerReference> _invalidNamespace;

    /// <param name="attemptToDelete">Queues a UID for an attempt to delete; true asks for the rate-limited add.</param>
    /// <param name="attemptToOrphan">Queues an owner's UID for orphaning its dependents.</param>
    /// <param name="invalidNamespace">Told of a dependent that names a namespaced owner from another namespace.</param>
    public OwnerGraph(Action<string, bool> attemptToDelete, Action<string> attemptToOrphan, Action<InvalidOwnerReference> invalidNamespace)
    {
        _attemptToDelete = attemptToDelete;
        _attemptToOrphan = attemptToOrphan;
        _invalidNamespace = invalidNamespace;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>A copy of the node for <paramref name="uid"/>, or null when the graph has none.</summary>
    public NodeState? Get(string uid)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(uid, out var node))
            {
                return null;
            }

            return new NodeState(
                node.Identity,
                node.IsVirtual,
                node.BeingDeleted,
                node.DeletingDependents,
                node.Owners,
                [.. node.Dependents.Select(d => (d.Identity, d.DeletingDependents))],
                [.. node.BlockingDependents().Select(d => (d.Identity, d.DeletingDependents))]);
        }
    }

    /// <summary>Whether an owner with these coordinates was verified absent (upstream's absentOwnerCache).</summary>
    public bool IsKnownAbsent(ObjectIdentity identity)
    {
        lock (_lock)
        {
            return _absentOwners.Contains(identity);
        }
    }

    public void MarkAbsent(ObjectIdentity identity)
    {
        lock (_lock)
        {
            AddAbsent(identity);
        }
    }

    /// <summary>Applies what an informer observed of the object <paramref name="identity"/> names.</summary>
    /// <param name="old">The object's previous metadata on an update, else null.</param>
    public void Observe(GraphChange change, ObjectIdentity identity, V1ObjectMeta metadata, V1ObjectMeta? old)
    {
        lock (_lock)
        {
            var found = _nodes.TryGetValue(identity.Uid, out var existing);
            if (found && existing!.IsVirtual && change != GraphChange.Deleted)
            {
                ObserveVirtual(existing, identity);
            }

            var owners = metadata.OwnerReferences?.ToList() ?? [];
            switch (change)
            {
                case GraphChange.Added or GraphChange.Updated when !found:
                    var node = new GraphNode(identity, isVirtual: false)
                    {
                        Owners = owners,
                        BeingDeleted = metadata.DeletionTimestamp is not null,
                        DeletingDependents = metadata.DeletionTimestamp is not null && HasFinalizer(metadata, Finalizers.DeleteDependents),
                    };
                    _nodes[identity.Uid] = node;
                    AddDependentToOwners(node, owners);

                    // One event may stand for a creation and a deletion together: look at the transitions too.
                    ProcessTransitions(old, metadata, node);
                    break;
                case GraphChange.Added or GraphChange.Updated:
                    var (added, removed, changed) = ReferenceDiffs(existing!.Owners, owners);
                    if (added.Count > 0 || removed.Count > 0 || changed.Count > 0)
                    {
                        AddUnblockedOwnersToDeleteQueue(removed, changed);
                        existing.Owners = owners;
                        AddDependentToOwners(existing, added);
                        RemoveDependentFromOwners(existing, removed);
                    }

                    if (metadata.DeletionTimestamp is not null)
                    {
                        existing.BeingDeleted = true;
                    }

                    ProcessTransitions(old, metadata, existing);
                    break;
                case GraphChange.Deleted when found:
                    Remove(existing!, identity);
                    break;
            }
        }
    }

    /// <summary>
    /// The API server says the object the node stood for is gone (404, or another UID under its name): what upstream
    /// feeds back as a virtual delete event. A virtual node whose dependents disagree on its coordinates stays.
    /// </summary>
    public void VirtualDelete(ObjectIdentity deleted)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(deleted.Uid, out var existing))
            {
                return;
            }

            var (matching, nonMatching) = PartitionDependents(existing.Dependents, deleted);
            if (existing.IsVirtual)
            {
                if (nonMatching.Count > 0)
                {
                    // Some dependents name the owner by other coordinates: only those naming the deleted ones lose it.
                    if (matching.Count > 0)
                    {
                        AddAbsent(deleted);
                        matching.ForEach(d => _attemptToDelete(d.Identity.Uid, false));
                    }

                    if (existing.Identity == deleted && AlternateIdentity(nonMatching, deleted) is { } replacement)
                    {
                        existing.Identity = replacement;
                        _attemptToDelete(existing.Identity.Uid, true);
                    }

                    return;
                }
            }
            else if (existing.Identity != deleted)
            {
                // An observed object is not removed on another identity's word; dependents naming that one lost it.
                if (matching.Count > 0)
                {
                    AddAbsent(deleted);
                    matching.ForEach(d => _attemptToDelete(d.Identity.Uid, false));
                }

                return;
            }

            Remove(existing, deleted);
        }
    }

    private static bool HasFinalizer(V1ObjectMeta metadata, string finalizer) => metadata.Finalizers?.Contains(finalizer) == true;

    private static bool StartsWaiting(V1ObjectMeta? old, V1ObjectMeta metadata, string finalizer) =>
        metadata.DeletionTimestamp is not null && HasFinalizer(metadata, finalizer)
        && (old is null || old.DeletionTimestamp is null || !HasFinalizer(old, finalizer));

    private static (List<V1OwnerReference> Added, List<V1OwnerReference> Removed, List<(V1OwnerReference Old, V1OwnerReference New)> Changed) ReferenceDiffs(
        IReadOnlyList<V1OwnerReference> old, IReadOnlyList<V1OwnerReference> current)
    {
        var oldByUid = old.GroupBy(o => o.Uid).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var currentByUid = current.GroupBy(o => o.Uid).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var added = current.Where(o => !oldByUid.ContainsKey(o.Uid)).ToList();
        var removed = old.Where(o => !currentByUid.ContainsKey(o.Uid)).ToList();
        var changed = current
            .Where(o => oldByUid.TryGetValue(o.Uid, out var before) && !SameReference(before, o))
            .Select(o => (oldByUid[o.Uid], o))
            .ToList();
        return (added, removed, changed);
    }

    private static bool SameReference(V1OwnerReference a, V1OwnerReference b) =>
        a.ApiVersion == b.ApiVersion && a.Kind == b.Kind && a.Name == b.Name && a.Uid == b.Uid
        && a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;

    /// <summary>Dependents that name <paramref name="owner"/> by its coordinates, and those that name its UID otherwise.</summary>
    private static (List<GraphNode> Matching, List<GraphNode> NonMatching) PartitionDependents(IEnumerable<GraphNode> dependents, ObjectIdentity owner)
    {
        var ownerNamespaced = !string.IsNullOrEmpty(owner.Namespace);
        var matching = new List<GraphNode>();
        var nonMatching = new List<GraphNode>();
        foreach (var dependent in dependents)
        {
            var match = false;
            var mismatch = false;
            if (ownerNamespaced && owner.Namespace != dependent.Identity.Namespace)
            {
                mismatch = true;
            }
            else
            {
                foreach (var reference in dependent.Owners.Where(o => o.Uid == owner.Uid))
                {
                    if (owner.MatchesCoordinates(reference))
                    {
                        match = true;
                    }
                    else
                    {
                        mismatch = true;
                    }
                }
            }

            if (match)
            {
                matching.Add(dependent);
            }

            if (mismatch)
            {
                nonMatching.Add(dependent);
            }
        }

        return (matching, nonMatching);
    }

    /// <summary>Other coordinates dependents name the owner by, to verify next (getAlternateOwnerIdentity).</summary>
    private static ObjectIdentity? AlternateIdentity(List<GraphNode> dependents, ObjectIdentity verifiedAbsent)
    {
        var candidates = dependents
            .SelectMany(d => d.Owners.Where(o => o.Uid == verifiedAbsent.Uid).Select(o => ObjectIdentity.OfOwner(o, d.Identity.Namespace)))
            .Where(i => i != verifiedAbsent)
            .Distinct()
            .OrderBy(i => i.ToString(), StringComparer.Ordinal)
            .ToList();
        return candidates.FirstOrDefault(i => string.CompareOrdinal(i.ToString(), verifiedAbsent.ToString()) > 0) ?? candidates.FirstOrDefault();
    }

    // A virtual node is observed: the informer's identity replaces the one guessed from references; dependents that
    // named other coordinates (another namespace, kind or name) may hold invalid references and are checked.
    private void ObserveVirtual(GraphNode existing, ObjectIdentity observed)
    {
        if (existing.Identity != observed)
        {
            var (_, invalid) = PartitionDependents(existing.Dependents, observed);
            foreach (var dependent in invalid)
            {
                if (!string.IsNullOrEmpty(observed.Namespace) && dependent.Identity.Namespace != observed.Namespace)
                {
                    ReportInvalidNamespace(dependent, observed.Uid);
                }

                _attemptToDelete(dependent.Identity.Uid, false);
            }

            existing.Identity = observed;
        }

        existing.IsVirtual = false;
    }

    private void Remove(GraphNode node, ObjectIdentity deleted)
    {
        _nodes.Remove(node.Identity.Uid);
        RemoveDependentFromOwners(node, node.Owners);
        if (node.Dependents.Count > 0)
        {
            AddAbsent(deleted);
        }

        foreach (var dependent in node.Dependents)
        {
            _attemptToDelete(dependent.Identity.Uid, false);
        }

        // An owner waiting on its dependents may now have none left that block it.
        foreach (var owner in node.Owners)
        {
            if (_nodes.TryGetValue(owner.Uid, out var ownerNode) && ownerNode.DeletingDependents)
            {
                _attemptToDelete(ownerNode.Identity.Uid, false);
            }
        }
    }

    private void ProcessTransitions(V1ObjectMeta? old, V1ObjectMeta metadata, GraphNode node)
    {
        if (StartsWaiting(old, metadata, Finalizers.OrphanDependents))
        {
            _attemptToOrphan(node.Identity.Uid);
            return;
        }

        if (StartsWaiting(old, metadata, Finalizers.DeleteDependents))
        {
            node.DeletingDependents = true;
            foreach (var dependent in node.Dependents)
            {
                _attemptToDelete(dependent.Identity.Uid, false);
            }

            _attemptToDelete(node.Identity.Uid, false);
        }
    }

    private void AddDependentToOwners(GraphNode node, IReadOnlyList<V1OwnerReference> owners)
    {
        var potentiallyInvalid = false;
        foreach (var owner in owners)
        {
            if (!_nodes.TryGetValue(owner.Uid, out var ownerNode))
            {
                // An owner not seen yet: a virtual node, verified against the API server by the delete worker.
                ownerNode = new GraphNode(ObjectIdentity.OfOwner(owner, node.Identity.Namespace), isVirtual: true);
                _nodes[owner.Uid] = ownerNode;
                ownerNode.Dependents.Add(node);
                _attemptToDelete(owner.Uid, false);
                continue;
            }

            ownerNode.Dependents.Add(node);
            if (potentiallyInvalid)
            {
                continue;
            }

            var ownerNamespaced = !string.IsNullOrEmpty(ownerNode.Identity.Namespace);
            if (ownerNamespaced && ownerNode.Identity.Namespace != node.Identity.Namespace)
            {
                if (!ownerNode.IsVirtual)
                {
                    // A namespaced owner observed in another namespace: the reference cannot be right.
                    ReportInvalidNamespace(node, owner.Uid);
                }

                potentiallyInvalid = true;
            }
            else if (!ownerNode.Identity.MatchesCoordinates(owner))
            {
                potentiallyInvalid = true;
            }
            else if (!ownerNamespaced && ownerNode.Identity.Namespace != node.Identity.Namespace && ownerNode.IsVirtual)
            {
                // A virtual cluster-scoped owner may be a namespaced one a cluster-scoped dependent names wrongly.
                potentiallyInvalid = true;
            }
        }

        if (potentiallyInvalid)
        {
            _attemptToDelete(node.Identity.Uid, false);
        }
    }

    private void RemoveDependentFromOwners(GraphNode node, IReadOnlyList<V1OwnerReference> owners)
    {
        foreach (var owner in owners)
        {
            if (_nodes.TryGetValue(owner.Uid, out var ownerNode))
            {
                ownerNode.Dependents.Remove(node);
            }
        }
    }

    // A dependent that stops blocking an owner deleting in the foreground may let it go.
    private void AddUnblockedOwnersToDeleteQueue(List<V1OwnerReference> removed, List<(V1OwnerReference Old, V1OwnerReference New)> changed)
    {
        var unblocked = removed.Where(r => r.BlockOwnerDeletion == true).Select(r => r.Uid)
            .Concat(changed.Where(c => c.Old.BlockOwnerDeletion == true && c.New.BlockOwnerDeletion != true).Select(c => c.New.Uid));
        foreach (var uid in unblocked)
        {
            if (_nodes.TryGetValue(uid, out var owner))
            {
                _attemptToDelete(owner.Identity.Uid, false);
            }
        }
    }

    private void ReportInvalidNamespace(GraphNode dependent, string ownerUid)
    {
        if (dependent.ReferenceTo(ownerUid) is { } reference)
        {
            _invalidNamespace(new InvalidOwnerReference(dependent.Identity, ObjectIdentity.OfOwner(reference, dependent.Identity.Namespace)));
        }
    }

    private void AddAbsent(ObjectIdentity identity)
    {
        if (!_absentOwners.Add(identity))
        {
            return;
        }

        _absentOrder.Enqueue(identity);
        while (_absentOrder.Count > AbsentOwnersKept)
        {
            _absentOwners.Remove(_absentOrder.Dequeue());
        }
    }
}
