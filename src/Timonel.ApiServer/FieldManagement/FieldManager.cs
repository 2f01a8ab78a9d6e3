using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// Keeps metadata.managedFields as upstream's field manager does (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager
/// over structured-merge-diff): a create or update gives its manager the fields it set or changed and takes them from
/// the others; server-side apply merges a configuration, refuses (409) to change fields other managers own unless
/// forced, and removes the fields its manager applied before and no longer applies, when nobody else owns them.
/// </summary>
internal sealed class FieldManager
{
    /// <summary>The manager an apply attributes an untracked object's fields to (upstream's placeholder).</summary>
    public const string BeforeFirstApply = "before-first-apply";

    /// <summary>The bucket the oldest Update entries are merged into past the cap (capmanagers.go).</summary>
    public const string AncientChanges = "ancient-changes";

    // fieldmanager.DefaultMaxUpdateManagers: Update entries kept apart; Apply entries are not capped.
    private const int MaxUpdateManagers = 10;

    private readonly TimeProvider _time;
    private readonly FieldType _type;

    public FieldManager(TimeProvider time, FieldType type)
    {
        _time = time;
        _type = type;
    }

    /// <summary>The type of the objects whose fields this manager tracks.</summary>
    public FieldType Type => _type;

    /// <summary>Records a create: the manager owns every field of the new object.</summary>
    public void TrackCreate(JsonObject created, FieldOwner owner)
    {
        var scope = FieldScope.For(owner.Subresource);
        var entries = new List<ManagedFieldsEntry>();
        Own(entries, owner, ManagedFieldsEntry.Update).Fields = ObjectFields.Of(created, _type, scope);
        Write(created, entries);
    }

    /// <summary>
    /// Records an update from <paramref name="current"/> to <paramref name="updated"/>: the manager takes the fields
    /// it changed. managedFields the client sent and changed replace the stored ones first (a single empty entry
    /// clears them, as upstream); an empty or missing list keeps them.
    /// </summary>
    public void TrackUpdate(JsonObject current, JsonObject updated, FieldOwner owner)
    {
        var entries = EntriesFor(current, updated);
        var (changed, removed) = ObjectFields.Compare(current, updated, _type, FieldScope.For(owner.Subresource));
        if (!changed.IsEmpty || !removed.IsEmpty)
        {
            foreach (var entry in entries)
            {
                entry.Fields.ExceptWith(changed);
                entry.Fields.ExceptWith(removed);
            }

            var mine = Own(entries, owner, ManagedFieldsEntry.Update);
            mine.Fields.UnionWith(changed);
        }

        Write(updated, entries);
    }

    /// <summary>Keeps the stored managedFields on a write that does not track ownership.</summary>
    public static void Keep(JsonObject current, JsonObject updated)
    {
        if (current.ObjectAt("metadata")?["managedFields"] is { } stored)
        {
            updated.Metadata()["managedFields"] = stored.DeepClone();
        }
        else
        {
            updated.Metadata().Remove("managedFields");
        }
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> to <paramref name="live"/> (null: the object does not exist yet).
    /// Returns the merged object with its managedFields; 409 on conflicts unless <paramref name="force"/>.
    /// </summary>
    public JsonObject Apply(JsonObject? live, JsonObject config, FieldOwner owner, bool force)
    {
        var scope = FieldScope.For(owner.Subresource);
        var applied = ObjectFields.Of(config, _type, scope);
        if (live is null)
        {
            var created = config.DeepClone().AsObject();
            var fresh = new List<ManagedFieldsEntry>();
            Own(fresh, owner, ManagedFieldsEntry.Apply).Fields = applied;
            Write(created, fresh);
            return created;
        }

        var entries = Read(live.ObjectAt("metadata")?["managedFields"]);
        if (entries.Count == 0)
        {
            // Fields set before ownership was tracked belong to a placeholder, so an apply cannot silently take them.
            var untracked = new ManagedFieldsEntry { Manager = BeforeFirstApply, Operation = ManagedFieldsEntry.Update, ApiVersion = owner.ApiVersion, Time = Now() };
            untracked.Fields = ObjectFields.Of(live, _type, scope);
            entries.Add(untracked);
        }

        var merged = live.DeepClone().AsObject();
        merged.Metadata().Remove("managedFields");
        ApplyMerge.MergeFields(merged, config, _type);
        var (changed, removed) = ObjectFields.Compare(live, merged, _type, scope);
        var mine = entries.FirstOrDefault(e => e.Matches(owner, ManagedFieldsEntry.Apply));
        var others = entries.Where(e => !ReferenceEquals(e, mine)).ToList();
        if (!force)
        {
            RefuseConflicts(live, changed, others, owner, scope);
        }

        // Others lose what changed, and what is gone (structured-merge-diff's update: only the first conflicts).
        changed.UnionWith(removed);
        foreach (var other in others)
        {
            other.Fields.ExceptWith(changed);
        }

        var previous = mine?.Fields;
        RemoveGivenUp(merged, previous, applied, others);
        // An apply that changes neither the object nor what its manager owns keeps the entry's time, so applying
        // the same configuration again writes nothing.
        var unchanged = previous is not null && changed.IsEmpty && JsonNode.DeepEquals(previous.ToFieldsV1(), applied.ToFieldsV1());
        Own(entries, owner, ManagedFieldsEntry.Apply, touch: !unchanged).Fields = applied;
        Write(merged, entries);
        if (owner.Manager == LastAppliedConfiguration.Manager)
        {
            LastAppliedConfiguration.Refresh(merged, config);
        }

        return merged;
    }

    // 409 for the fields another manager owns that the apply adds or changes. kubectl's first server-side apply after
    // client-side ones may take, without a conflict, those fields that still hold the values its last client-side
    // apply set (upstream's lastAppliedManager: the move between the two needs no --force-conflicts).
    private void RefuseConflicts(JsonObject live, FieldSet changed, IReadOnlyList<ManagedFieldsEntry> others, FieldOwner owner, FieldScope scope)
    {
        var conflicts = others.SelectMany(e => e.Fields.Intersect(changed).Members().Select(path => (e, path))).ToList();
        if (conflicts.Count > 0 && owner.Manager == LastAppliedConfiguration.Manager)
        {
            var allowed = LastAppliedConfiguration.StillAsApplied(live, owner.ApiVersion, _type, scope);
            conflicts.RemoveAll(c => allowed.Contains(c.path));
        }

        if (conflicts.Count > 0)
        {
            throw ApplyConflicts.Error(conflicts);
        }
    }

    // The fields the applier applied last time and not now go, unless another manager owns them (or something
    // below them) or the new configuration still sets something below them.
    private void RemoveGivenUp(JsonObject merged, FieldSet? previous, FieldSet applied, IReadOnlyList<ManagedFieldsEntry> others)
    {
        if (previous is null)
        {
            return;
        }

        var givenUp = previous.Clone();
        givenUp.ExceptWith(applied);
        var kept = applied.Clone();
        foreach (var other in others)
        {
            kept.UnionWith(other.Fields);
        }

        // Parents first: an item removed whole takes its fields along; an item kept keeps its key fields.
        foreach (var path in givenUp.Members())
        {
            if (!kept.ContainsAnyAt(path) && !IsKeyOfItem(path))
            {
                ApplyMerge.Remove(merged, path, _type);
            }
        }
    }

    private static bool IsKeyOfItem(IReadOnlyList<string> path) =>
        path.Count >= 2 && path[^2].StartsWith(FieldsV1Path.KeyPrefix, StringComparison.Ordinal)
        && path[^1].StartsWith(FieldsV1Path.FieldPrefix, StringComparison.Ordinal)
        && FieldsV1Path.KeyFields(path[^2]).ContainsKey(path[^1][FieldsV1Path.FieldPrefix.Length..]);

    private ManagedFieldsEntry Own(List<ManagedFieldsEntry> entries, FieldOwner owner, string operation, bool touch = true)
    {
        var entry = entries.FirstOrDefault(e => e.Matches(owner, operation));
        if (entry is null)
        {
            entry = new ManagedFieldsEntry { Manager = owner.Manager, Operation = operation, Subresource = owner.Subresource };
            entries.Add(entry);
            touch = true;
        }

        if (touch)
        {
            entry.ApiVersion = owner.ApiVersion;
            entry.Time = Now();
        }

        return entry;
    }

    private string Now() => ObjectMetadata.FormatTimestamp(_time.GetUtcNow());

    private static List<ManagedFieldsEntry> EntriesFor(JsonObject current, JsonObject updated)
    {
        var stored = current.ObjectAt("metadata")?["managedFields"];
        var sent = updated.ObjectAt("metadata")?["managedFields"];
        if (sent is not JsonArray { Count: > 0 } list || JsonNode.DeepEquals(sent, stored))
        {
            return Read(stored);
        }

        // [{}] strips every entry (the documented way to reset managedFields).
        return list is [JsonObject { Count: 0 }] ? [] : Read(list);
    }

    /// <summary>
    /// Past ten Update entries, merges the oldest ones into one "ancient-changes" entry per API version, as upstream's
    /// capManagersManager does, so an object written by many clients does not grow without end.
    /// </summary>
    private static void CapUpdateManagers(List<ManagedFieldsEntry> entries)
    {
        var updaters = entries.Where(e => e.Operation == ManagedFieldsEntry.Update)
            .OrderBy(e => e.Time ?? "", StringComparer.Ordinal).ThenBy(e => e.Manager, StringComparer.Ordinal).ToList();
        var count = updaters.Count;
        var firstOfVersion = new Dictionary<string, ManagedFieldsEntry>(StringComparer.Ordinal);
        foreach (var updater in updaters)
        {
            if (count <= MaxUpdateManagers)
            {
                return;
            }

            var version = updater.ApiVersion ?? "";
            if (!firstOfVersion.TryGetValue(version, out var first))
            {
                firstOfVersion[version] = updater;
                continue;
            }

            var bucket = entries.FirstOrDefault(e => e.Manager == AncientChanges && e.Operation == ManagedFieldsEntry.Update && e.ApiVersion == updater.ApiVersion);
            if (bucket is null)
            {
                // The oldest entry of the version becomes the bucket.
                bucket = new ManagedFieldsEntry { Manager = AncientChanges, Operation = ManagedFieldsEntry.Update, ApiVersion = first.ApiVersion, Fields = first.Fields };
                entries[entries.IndexOf(first)] = bucket;
                firstOfVersion[version] = bucket;
            }

            bucket.Fields.UnionWith(updater.Fields);
            bucket.Time = updater.Time;
            entries.Remove(updater);
            count--;
        }
    }

    private static List<ManagedFieldsEntry> Read(JsonNode? managedFields) =>
        managedFields is JsonArray list ? [.. list.Select(ManagedFieldsEntry.FromJson)] : [];

    private static void Write(JsonObject obj, List<ManagedFieldsEntry> entries)
    {
        var metadata = obj.Metadata();
        entries.RemoveAll(e => e.Fields.IsEmpty);
        CapUpdateManagers(entries);
        // Upstream's order (managedfields.go sortEncodedManagedFields): Apply before Update, then oldest first.
        var kept = entries
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .ToList();
        if (kept.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }

        metadata["managedFields"] = new JsonArray([.. kept.Select(e => (JsonNode)e.ToJson())]);
    }
}
