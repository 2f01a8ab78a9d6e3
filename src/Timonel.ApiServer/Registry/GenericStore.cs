using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The one REST store every resource uses (after upstream's registry/generic/registry/store.go): generic metadata,
/// optimistic concurrency, graceful deletion and finalizers, with the kind's strategy for everything specific.
/// </summary>
public sealed class GenericStore
{
    private const int MaxUpdateRetries = 16;

    /// <summary>upstream's maxNameGenerationCreateAttempts.</summary>
    private const int MaxNameGenerationCreateAttempts = 8;
    private readonly IStorageBackend _storage;
    private readonly WatchCache _cache;
    private readonly TimeProvider _time;
    private readonly IStoreHook? _hook;
    private readonly Func<AdmissionChain> _admissionChain;

    // Built on the first tracked write: the field catalog it reads is not needed to start.
    private readonly Lazy<FieldManager> _fields;

    /// <param name="admission">The admission plugins writes pass through; null: the built-in chain.</param>
    public GenericStore(ResourceDefinition definition, IStorageBackend storage, WatchCache cache, TimeProvider time, IStoreHook? hook = null, AdmissionChain? admission = null)
        : this(definition, storage, cache, time, hook, () => admission ?? AdmissionChain.BuiltIn)
    {
    }

    /// <param name="admissionChain">
    /// The admission plugins writes pass through, asked on every write: the server settles its chain once every
    /// store and the authorizer exist.
    /// </param>
    public GenericStore(ResourceDefinition definition, IStorageBackend storage, WatchCache cache, TimeProvider time, IStoreHook? hook, Func<AdmissionChain> admissionChain)
    {
        _admissionChain = admissionChain;
        Definition = definition;
        _storage = storage;
        _cache = cache;
        _time = time;
        _hook = hook;
        _fields = new(() => new FieldManager(time, FieldTypes.For(definition)));
    }

    public ResourceDefinition Definition { get; }

    private AdmissionChain AdmissionChain => _admissionChain();

    private string Group => Definition.Group;

    private string Plural => Definition.Plural;

    public async Task<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken) =>
        Definition.Decode(await ReadCurrentAsync(ns, name, cancellationToken));

    /// <summary>
    /// The object for the server's own lookups (is a token's ServiceAccount still there?), or null: from the watch
    /// cache without waiting for it to be current, or from the store when the cache does not hold the key (it may
    /// lag a create by milliseconds). Upstream's authenticator reads an informer's lister the same way, falling back
    /// to a live read on a miss; a consistent read per request would cost every token a store round trip on etcd.
    /// </summary>
    public async Task<JsonObject?> FindRecentAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var found = await FindRecentStoredAsync(ns, name, cancellationToken);
        return found is null ? null : Definition.Decode(found);
    }

    /// <summary>
    /// The objects in <paramref name="ns"/> (every namespace: null) as the watch cache holds them now, without
    /// waiting for it to be current: admission's lookups (upstream's plugins read informers' listers).
    /// </summary>
    internal IReadOnlyList<JsonObject> ListRecent(string? ns) => [.. _cache.List(Definition.ListPrefix(ns)).Items.Select(Definition.Decode)];

    /// <summary><see cref="FindRecentAsync"/>'s object as stored, undecoded: for lookups on every request.</summary>
    internal async Task<KeyValue?> FindRecentStoredAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var key = Definition.StorageKey(ns, name);
        return _cache.Get(key) ?? await _storage.GetAsync(key, cancellationToken);
    }

    /// <summary>
    /// The object as JSON bytes, ready to send: what a plain GET answers, without a parse and a write (unless the
    /// resource is stored in another's form, which must be converted).
    /// </summary>
    public async Task<byte[]> GetServedJsonAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var kv = await ReadCurrentAsync(ns, name, cancellationToken);
        var output = new ArrayBufferWriter<byte>(kv.Value.Length + 32);
        Definition.WriteServedJson(output, kv);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A GET's object, from the watch cache once it reflects every write acknowledged before the request: the same
    /// answer as a quorum read of the store (what kube-apiserver 1.32 does for a GET), with one shared revision read
    /// for concurrent GETs instead of one store read each (KEP-2340's consistent reads from cache, applied to GET).
    /// </summary>
    private async Task<KeyValue> ReadCurrentAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var key = Definition.StorageKey(ns, name);
        var found = await _cache.TryWaitUntilCurrentAsync(cancellationToken) ? _cache.Get(key) : await _storage.GetAsync(key, cancellationToken);
        return found ?? throw StatusException.NotFound(Group, Plural, name);
    }

    /// <summary>A list object (kind XList) of the objects matching <paramref name="query"/>.</summary>
    public async Task<JsonObject> ListAsync(string? ns, ListQuery query, CancellationToken cancellationToken)
    {
        var page = await ReadListAsync(ns, query, cancellationToken);
        var array = new JsonArray();
        foreach (var kv in page.Items)
        {
            if (!Definition.KeyMatches(query.KeyFilter, kv.Key))
            {
                continue;
            }

            var obj = Definition.Decode(kv);
            if (query.Filter is null || query.Filter(obj))
            {
                array.Add(obj);
            }
        }

        return new JsonObject
        {
            ["kind"] = Definition.Kind + "List",
            ["apiVersion"] = Definition.ApiVersion,
            ["metadata"] = ListMetadata(page, query),
            ["items"] = array,
        };
    }

    /// <summary>
    /// The list as JSON bytes ready to send, for a list without selectors: each item's stored bytes with its version
    /// spliced in, instead of parsing every object and writing it again. Null when the query filters (selectors need
    /// the objects).
    /// </summary>
    public async Task<byte[]?> ListServedJsonAsync(string? ns, ListQuery query, CancellationToken cancellationToken)
    {
        if (query.Filter is not null)
        {
            return null;
        }

        var page = await ReadListAsync(ns, query, cancellationToken);
        var output = new ArrayBufferWriter<byte>(page.Items.Sum(kv => kv.Value.Length + 32) + 256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", Definition.Kind + "List");
            writer.WriteString("apiVersion", Definition.ApiVersion);
            writer.WritePropertyName("metadata");
            ListMetadata(page, query).WriteTo(writer);
            writer.WritePropertyName("items");
            writer.WriteStartArray();
            writer.Flush();
            for (var i = 0; i < page.Items.Count; i++)
            {
                if (i > 0)
                {
                    output.Write(","u8);
                }

                Definition.WriteServedJson(output, page.Items[i]);
            }
        }

        output.Write("]}"u8);
        return output.WrittenSpan.ToArray();
    }

    private JsonObject ListMetadata(ListPage page, ListQuery query)
    {
        var metadata = new JsonObject { ["resourceVersion"] = page.Revision.ToString(CultureInfo.InvariantCulture) };
        if (page.NextKey is not null)
        {
            metadata["continue"] = ContinueToken.Encode(page.Revision, page.NextKey[Definition.ListPrefix(page.Namespace).Length..]);
            if (query.Filter is null)
            {
                metadata["remainingItemCount"] = page.Remaining;
            }
        }

        return metadata;
    }

    /// <summary>The stored objects a list answers with, from the watch cache or (paged, exact version) from storage.</summary>
    private async Task<ListPage> ReadListAsync(string? ns, ListQuery query, CancellationToken cancellationToken)
    {
        var prefix = Definition.ListPrefix(ns);
        IReadOnlyList<KeyValue> items;
        long revision;
        string? nextKey = null;
        long remaining = 0;
        if (query.Limit > 0 || query.Continue is not null || IsExactRevision(query))
        {
            // Paged and exact-revision reads go to storage, which can read at the first page's revision. An explicit
            // NotOlderThan reads the latest state and checks it is new enough, as upstream's etcd3 store.
            var notOlderThan = query.ResourceVersionMatch == "NotOlderThan" ? ParseRevision(query.ResourceVersion) : 0;
            var atRevision = notOlderThan > 0 ? 0 : ParseRevision(query.ResourceVersion);
            var startKey = prefix;
            if (query.Continue is not null)
            {
                (var continueRevision, var suffix) = ContinueToken.Decode(query.Continue);
                // A negative revision (upstream's token after a compaction) continues at the latest one.
                atRevision = Math.Max(continueRevision, 0);
                startKey = prefix + suffix;
            }

            try
            {
                (items, revision, nextKey, remaining) = await PageAsync(ns, prefix, startKey, query, atRevision, cancellationToken);
                if (query.Continue is null && revision < notOlderThan)
                {
                    throw StatusException.TooLargeResourceVersion(notOlderThan, revision, retryAfterSeconds: null);
                }
            }
            catch (CompactedException) when (query.Continue is not null)
            {
                // storage/etcd3 errors.go handleCompactedErrorForPaging: the inconsistentContinue text, and a token
                // that goes on from the same key at the latest revision (-1) for a client that accepts the mix.
                throw new StatusException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                {
                    Continue = ContinueToken.Encode(-1, startKey[prefix.Length..]),
                };
            }
            catch (CompactedException ex)
            {
                throw StatusException.TooOldResourceVersion(ex.RequestedRevision, ex.CompactedRevision);
            }
            catch (ArgumentOutOfRangeException)
            {
                // An exact resourceVersion the store has not reached yet.
                throw StatusException.TooLargeResourceVersion(atRevision, await _storage.CurrentRevisionAsync(cancellationToken), retryAfterSeconds: null);
            }
        }
        else
        {
            if (query.ResourceVersion is null or "" && !await _cache.TryWaitUntilCurrentAsync(cancellationToken))
            {
                // A consistent read the cache could not serve in time: read the store's latest state instead.
                (items, revision, _, _) = await PageAsync(ns, prefix, prefix, query, atRevision: 0, cancellationToken);
                return new ListPage(ns, items, revision, null, 0);
            }
            else if (ParseRevision(query.ResourceVersion) is > 0 and var atLeast)
            {
                // resourceVersion=N (NotOlderThan): as upstream's cacher, at least N; one never written gets 504.
                await _cache.WaitForRevisionAsync(atLeast, cancellationToken);
            }

            (items, revision) = _cache.List(prefix);
            items = [.. items.Where(kv => Definition.InListScope(kv.Key, ns))];
        }

        return new ListPage(ns, items, revision, nextKey, remaining);
    }

    /// <summary>What a list read found: the stored objects, the revision they reflect and where a next page starts.</summary>
    private sealed record ListPage(string? Namespace, IReadOnlyList<KeyValue> Items, long Revision, string? NextKey, long Remaining);

    /// <summary>
    /// Creates the object. With an <paramref name="owner"/> its fields are recorded as that manager's in
    /// managedFields; without one (the server's own objects) none are.
    /// </summary>
    public Task<JsonObject> CreateAsync(string? ns, JsonObject obj, bool dryRun, CancellationToken cancellationToken, FieldOwner? owner = null) =>
        CreateAsync(ns, obj, dryRun, owner, ownershipSet: false, cancellationToken);

    private async Task<JsonObject> CreateAsync(string? ns, JsonObject obj, bool dryRun, FieldOwner? owner, bool ownershipSet, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(obj.Name()) || obj.Metadata().StringAt("generateName") is not { Length: > 0 })
        {
            return await CreateOnceAsync(ns, obj, dryRun, owner, ownershipSet, cancellationToken);
        }

        // upstream's RetryGenerateName (GA in 1.32, registry/generic/registry/store.go createWithGenerateNameRetry):
        // five random characters collide now and then among thousands of pods of one owner, so a generated name
        // that is taken is generated again, up to maxNameGenerationCreateAttempts in all.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CreateOnceAsync(ns, obj.DeepClone().AsObject(), dryRun, owner, ownershipSet, cancellationToken);
            }
            catch (StatusException ex) when (ex.Reason == "AlreadyExists" && attempt < MaxNameGenerationCreateAttempts)
            {
            }
        }
    }

    private async Task<JsonObject> CreateOnceAsync(string? ns, JsonObject obj, bool dryRun, FieldOwner? owner, bool ownershipSet, CancellationToken cancellationToken)
    {
        var metadata = obj.Metadata();
        if (Definition.Namespaced)
        {
            // rest.EnsureObjectNamespaceMatchesRequestNamespace: a body may leave its namespace out, not contradict the URL.
            if (metadata.StringAt("namespace") is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
            {
                throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (string.IsNullOrEmpty(obj.Name()) && metadata.StringAt("generateName") is { Length: > 0 } generateName)
        {
            metadata["name"] = NameGenerator.Generate(generateName);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = ObjectMetadata.FormatTimestamp(_time.GetUtcNow());
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (!ownershipSet)
        {
            metadata.Remove("managedFields");
        }

        // Upstream's order: defaults (applied while decoding), mutating admission, the strategy's PrepareForCreate,
        // validation, validating admission, storage. Defaults run again after PrepareForCreate, as upstream applies
        // them once more when the stored object is read back: what PrepareForCreate cleared or added (a reset
        // status, a job's generated selector labels) is defaulted as every later read will show it.
        var strategy = Definition.Strategy;
        strategy.ApplyDefaults(obj);
        var admission = new AdmissionAttributes(AdmissionOperation.Create, Definition, ns, obj.Name() ?? "", obj, null) { DryRun = dryRun };
        await AdmissionChain.MutateAsync(admission, cancellationToken);
        strategy.PrepareForCreate(obj);
        strategy.ApplyDefaults(obj);
        obj = Definition.Normalize(obj);
        ThrowIfInvalid(obj, ValidateCreate(obj));
        await AdmissionChain.ValidateAsync(admission with { Object = obj }, cancellationToken);
        if (owner is not null && !ownershipSet)
        {
            _fields.Value.TrackCreate(obj, owner);
        }
        var name = obj.Name()!;
        var key = Definition.StorageKey(ns, name);
        // The create itself refuses an existing key; look first only when a hook would otherwise reserve
        // (and release again) an IP or port for a name that is taken — one storage round trip saved per create.
        if ((_hook is not null || dryRun) && await _storage.GetAsync(key, cancellationToken) is not null)
        {
            throw StatusException.AlreadyExists(Group, Plural, name);
        }

        if (_hook is not null)
        {
            await _hook.BeforeCreateAsync(obj, dryRun, cancellationToken);
        }

        try
        {
            if (dryRun)
            {
                return obj;
            }

            var result = await _storage.CreateAsync(key, Definition.Encode(obj), cancellationToken);
            if (!result.Succeeded)
            {
                throw StatusException.AlreadyExists(Group, Plural, name);
            }

            StoredObject.SetResourceVersion(obj, result.Revision);
            return obj;
        }
        catch when (_hook is not null && !dryRun)
        {
            await _hook.CreateFailedAsync(obj, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Replaces the object (PUT). A resourceVersion in the body must match the stored one; without one the update is
    /// unconditional. <paramref name="strategy"/> is the kind's strategy, or its status strategy for /status. A uid in
    /// the body is a precondition too (handlers/update.go's DefaultUpdatedObjectInfo), checked first as storage does.
    /// </summary>
    public Task<JsonObject> UpdateAsync(string? ns, string name, JsonObject updated, IResourceStrategy strategy, bool dryRun, CancellationToken cancellationToken, FieldOwner? owner = null)
    {
        var requestedVersion = updated.ResourceVersion();
        var requestedUid = updated.Uid();
        return GuaranteedUpdateAsync(ns, name, current =>
        {
            if (!string.IsNullOrEmpty(requestedUid) && requestedUid != current.Uid())
            {
                throw UidPreconditionFailed(name, requestedUid, current);
            }

            if (!string.IsNullOrEmpty(requestedVersion) && requestedVersion != current.ResourceVersion())
            {
                throw StatusException.ModifiedConflict(Group, Plural, name);
            }

            return updated.DeepClone().AsObject();
        }, strategy, dryRun, cancellationToken, owner);
    }

    /// <summary>
    /// Reads the current object, computes the new one with <paramref name="mutate"/> (patches, scale) and writes it
    /// guarded by the read revision, retrying from a fresh read when another writer came first. With an
    /// <paramref name="owner"/> the fields it changes become that manager's in managedFields.
    /// </summary>
    public Task<JsonObject> GuaranteedUpdateAsync(string? ns, string name, Func<JsonObject, JsonObject> mutate, IResourceStrategy strategy, bool dryRun, CancellationToken cancellationToken, FieldOwner? owner = null) =>
        GuaranteedUpdateAsync(ns, name, mutate, strategy, dryRun, owner, ownershipSet: false, cancellationToken);

    /// <summary>
    /// Server-side apply (PATCH with application/apply-patch+yaml): merges <paramref name="config"/> into the object,
    /// or creates it from the configuration when there is none. 409 when it would change fields other managers own,
    /// unless <paramref name="force"/>. 400 when the configuration sets fields its type does not declare.
    /// </summary>
    public async Task<JsonObject> ApplyAsync(string? ns, string name, JsonObject config, FieldOwner owner, bool force, IResourceStrategy strategy, bool dryRun, CancellationToken cancellationToken)
    {
        UndeclaredFields.Refuse(config, _fields.Value.Type, Definition);
        for (var attempt = 0; attempt < MaxUpdateRetries; attempt++)
        {
            try
            {
                return await GuaranteedUpdateAsync(ns, name, current => _fields.Value.Apply(current, config, owner, force), strategy, dryRun, owner, ownershipSet: true, cancellationToken);
            }
            catch (StatusException ex) when (ex.Reason == "NotFound" && IsAbout(ex, name) && owner.Subresource is null)
            {
                // No object yet: the configuration makes one (an apply to /status never does, and stays 404).
            }

            try
            {
                return await CreateAsync(ns, _fields.Value.Apply(null, config, owner, force), dryRun, owner, ownershipSet: true, cancellationToken);
            }
            catch (StatusException ex) when (ex.Reason == "AlreadyExists" && IsAbout(ex, name))
            {
                // Created by another writer meanwhile: apply to that one.
            }
        }

        throw StatusException.ModifiedConflict(Group, Plural, name);
    }

    private bool IsAbout(StatusException error, string name) => error.Name == name && error.Kind == Plural && error.Group == Group;

    private async Task<JsonObject> GuaranteedUpdateAsync(string? ns, string name, Func<JsonObject, JsonObject> mutate, IResourceStrategy strategy, bool dryRun, FieldOwner? owner, bool ownershipSet, CancellationToken cancellationToken)
    {
        var key = Definition.StorageKey(ns, name);
        for (var attempt = 0; attempt < MaxUpdateRetries; attempt++)
        {
            var currentKv = await _storage.GetAsync(key, cancellationToken) ?? throw StatusException.NotFound(Group, Plural, name);
            var current = Definition.Decode(currentKv);
            var updated = Definition.Normalize(mutate(current.DeepClone().AsObject()));
            CheckIdentity(updated, ns, name);
            CarryOverSystemMetadata(updated, current);
            // Defaults first, as upstream applies them while decoding, so a spec that only lacks defaults is unchanged;
            // then mutating admission, then the strategy.
            strategy.ApplyDefaults(updated);
            var admission = new AdmissionAttributes(AdmissionOperation.Update, Definition, ns, name, updated, current)
            {
                Subresource = SubresourceOf(strategy),
                DryRun = dryRun,
            };
            await AdmissionChain.MutateAsync(admission, cancellationToken);
            strategy.PrepareForUpdate(updated, current);
            if (owner is null)
            {
                FieldManager.Keep(current, updated);
            }
            else if (!ownershipSet)
            {
                _fields.Value.TrackUpdate(current, updated, owner);
            }
            if (_hook is not null)
            {
                await _hook.BeforeUpdateAsync(updated, current, dryRun, cancellationToken);
            }

            JsonObject? written;
            try
            {
                ThrowIfInvalid(updated, ValidateUpdate(updated, current, strategy));
                await AdmissionChain.ValidateAsync(admission, cancellationToken);
                written = await WriteUpdateAsync(key, updated, current, currentKv.ModRevision, dryRun, cancellationToken);
            }
            catch when (_hook is not null && !dryRun)
            {
                await _hook.UpdateFailedAsync(updated, current, CancellationToken.None);
                throw;
            }

            if (written is not null)
            {
                return written;
            }
        }

        throw StatusException.ModifiedConflict(Group, Plural, name);
    }

    /// <summary>Deletes (or starts deleting) an object; returns it and whether it is already gone.</summary>
    public async Task<(JsonObject Object, bool Removed)> DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        // Mutating admission runs in upstream's delete handler, before the store reads the object; validating
        // admission on the object read, before anything is written.
        var admission = new AdmissionAttributes(AdmissionOperation.Delete, Definition, ns, name, null, null) { DryRun = options.DryRun };
        await AdmissionChain.MutateAsync(admission, cancellationToken);
        var key = Definition.StorageKey(ns, name);
        for (var attempt = 0; attempt < MaxUpdateRetries; attempt++)
        {
            var currentKv = await _storage.GetAsync(key, cancellationToken) ?? throw StatusException.NotFound(Group, Plural, name);
            var current = Definition.Decode(currentKv);
            CheckPreconditions(current, options, name);
            await AdmissionChain.ValidateAsync(admission with { OldObject = current }, cancellationToken);
            var marked = current.DeepClone().AsObject();
            var graceSeconds = Definition.Strategy is IGracefulDeletionStrategy graceful ? graceful.GracePeriodSeconds(marked, options.GracePeriodSeconds) : 0;
            AddPropagationFinalizer(marked, options.PropagationPolicy);
            var held = Definition.Strategy is IDeletionHoldStrategy hold && hold.HoldOnDelete(marked);
            var pending = graceSeconds > 0 || marked.Finalizers().Count > 0 || held;
            if (!pending)
            {
                if (options.DryRun)
                {
                    return (current, true);
                }

                var removal = await _storage.DeleteAsync(key, currentKv.ModRevision, cancellationToken);
                if (removal.Succeeded)
                {
                    await AfterRemovalAsync(current);
                    StoredObject.SetResourceVersion(current, removal.Revision);
                    return (current, true);
                }

                continue;
            }

            var metadata = marked.Metadata();
            if (held)
            {
                // A held deletion has no grace period: marked once, now, and deletionGracePeriodSeconds stays unset.
                if (current.DeletionTimestamp() is null)
                {
                    metadata["deletionTimestamp"] = ObjectMetadata.FormatTimestamp(_time.GetUtcNow());
                }
            }
            else if (current.DeletionTimestamp() is null)
            {
                metadata["deletionTimestamp"] = ObjectMetadata.FormatTimestamp(_time.GetUtcNow().AddSeconds(graceSeconds));
                metadata["deletionGracePeriodSeconds"] = graceSeconds;
            }
            else if (graceSeconds < (metadata.LongAt("deletionGracePeriodSeconds") ?? long.MaxValue))
            {
                // A shorter grace period may be requested while deleting (kubectl delete --grace-period=0 --force).
                metadata["deletionTimestamp"] = ObjectMetadata.FormatTimestamp(_time.GetUtcNow().AddSeconds(graceSeconds));
                metadata["deletionGracePeriodSeconds"] = graceSeconds;
            }

            if (options.DryRun || JsonNodeExtensions.DeepEqual(marked, current))
            {
                return (marked, false);
            }

            var result = await _storage.UpdateAsync(key, Definition.Encode(marked), currentKv.ModRevision, cancellationToken);
            if (result.Succeeded)
            {
                StoredObject.SetResourceVersion(marked, result.Revision);
                return (marked, false);
            }
        }

        throw StatusException.ModifiedConflict(Group, Plural, name);
    }

    /// <summary>Deletes every object the query matches (deletecollection); returns the list of what was deleted.</summary>
    public async Task<JsonObject> DeleteCollectionAsync(string? ns, ListQuery query, DeleteOptions options, CancellationToken cancellationToken)
    {
        var list = await ListAsync(ns, query with { Limit = 0, Continue = null }, cancellationToken);
        var deleted = new JsonArray();
        foreach (var item in list["items"]!.AsArray().Objects().ToList())
        {
            try
            {
                var (obj, _) = await DeleteAsync(item.Namespace(), item.Name()!, options, cancellationToken);
                deleted.Add(obj);
            }
            catch (StatusException ex) when (ex.Code == 404)
            {
                // Deleted by someone else meanwhile: the outcome the caller wanted.
            }
        }

        list["items"] = deleted;
        return list;
    }

    /// <summary>
    /// Writes an update guarded by <paramref name="expectedRevision"/> (or removes an object whose last finalizer
    /// went); null when another writer came first and the caller must retry from a fresh read.
    /// </summary>
    private async Task<JsonObject?> WriteUpdateAsync(string key, JsonObject updated, JsonObject current, long expectedRevision, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return updated;
        }

        if (ShouldRemoveAfterFinalizers(updated, current))
        {
            var removal = await _storage.DeleteAsync(key, expectedRevision, cancellationToken);
            if (!removal.Succeeded)
            {
                return null;
            }

            await AfterRemovalAsync(current);
            StoredObject.SetResourceVersion(updated, removal.Revision);
            return updated;
        }

        if (JsonNodeExtensions.DeepEqual(updated, current))
        {
            // A no-op update writes nothing and keeps the resourceVersion, as upstream does.
            return current;
        }

        var result = await _storage.UpdateAsync(key, Definition.Encode(updated), expectedRevision, cancellationToken);
        if (!result.Succeeded)
        {
            if (_hook is not null)
            {
                await _hook.UpdateFailedAsync(updated, current, CancellationToken.None);
            }

            return null;
        }

        if (_hook is not null)
        {
            await _hook.AfterUpdateAsync(updated, current, CancellationToken.None);
        }

        StoredObject.SetResourceVersion(updated, result.Revision);
        return updated;
    }

    private Task AfterRemovalAsync(JsonObject removed) =>
        _hook is null ? Task.CompletedTask : _hook.AfterDeleteAsync(removed, CancellationToken.None);

    /// <summary>Lists straight from storage at a revision, as pages.</summary>
    private async Task<(IReadOnlyList<KeyValue>, long, string?, long)> PageAsync(string? ns, string prefix, string startKey, ListQuery query, long atRevision, CancellationToken cancellationToken)
    {
        var page = await _storage.ListAsync(prefix, new Timonel.Storage.ListOptions(query.Limit, startKey, atRevision), cancellationToken);
        var items = page.Items.Where(kv => Definition.InListScope(kv.Key, ns)).ToList();
        return (items, page.Revision, page.NextKey, page.RemainingCount);
    }

    private static bool IsExactRevision(ListQuery query) =>
        query.ResourceVersionMatch == "Exact" && query.ResourceVersion is { Length: > 0 } and not "0";

    private static long ParseRevision(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            return 0;
        }

        return long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw StatusException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": strconv.ParseUint: parsing \"{resourceVersion}\": invalid syntax");
    }

    private void CheckIdentity(JsonObject updated, string? ns, string name)
    {
        var metadata = updated.Metadata();
        var bodyName = metadata.StringAt("name");
        if (bodyName != name)
        {
            throw StatusException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        if (Definition.Namespaced)
        {
            var bodyNamespace = metadata.StringAt("namespace");
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
    }

    // Fields only the server sets survive whatever the client sent (rest.FillObjectMetaSystemFields / BeforeUpdate).
    // managedFields are the field manager's to settle (a client may rewrite them).
    private static void CarryOverSystemMetadata(JsonObject updated, JsonObject current)
    {
        var target = updated.Metadata();
        var source = current.Metadata();
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName" })
        {
            if (source[field] is { } value)
            {
                target[field] = value.DeepClone();
            }
            else if (field != "generateName")
            {
                target.Remove(field);
            }
        }

        target["resourceVersion"] = source["resourceVersion"]?.DeepClone();
        target.Remove("selfLink");
    }

    // ShouldDeleteDuringUpdate (registry/generic/registry/store.go): the update took the last finalizer off an object
    // being deleted and past its grace period; a held kind (a namespace with spec.finalizers) still stays.
    private bool ShouldRemoveAfterFinalizers(JsonObject updated, JsonObject current) =>
        current.DeletionTimestamp() is not null && current.Finalizers().Count > 0 && updated.Finalizers().Count == 0
        && (current.LongAt("metadata", "deletionGracePeriodSeconds") ?? 0) == 0
        && !(Definition.Strategy is IDeletionHoldStrategy hold && hold.HoldsRemoval(updated));

    // storage.Preconditions.Check's text, a conflict once the store interprets it (storage/errors.go).
    private StatusException UidPreconditionFailed(string name, string uid, JsonObject current) =>
        StatusException.Conflict(Group, Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");

    // rest.BeforeDelete checks the preconditions before anything is written, naming the kind where a resource goes.
    private void CheckPreconditions(JsonObject current, DeleteOptions options, string name)
    {
        if (options.PreconditionUid is { } uid && uid != current.Uid())
        {
            throw StatusException.Conflict(Group, Definition.Kind, name, $"the UID in the precondition ({uid}) does not match the UID in record ({current.Uid()}). The object might have been deleted and then recreated");
        }

        if (options.PreconditionResourceVersion is { } rv && rv != current.ResourceVersion())
        {
            throw StatusException.Conflict(Group, Definition.Kind, name, $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({current.ResourceVersion()}). The object might have been modified");
        }
    }

    // Foreground and Orphan propagation are carried out by the garbage collector through these finalizers
    // (metav1.FinalizerDeleteDependents / FinalizerOrphanDependents).
    private static void AddPropagationFinalizer(JsonObject obj, string? policy)
    {
        var finalizer = policy switch
        {
            "Foreground" => "foregroundDeletion",
            "Orphan" => "orphan",
            _ => null,
        };
        if (finalizer is null || obj.Finalizers().Contains(finalizer))
        {
            return;
        }

        if (obj.Metadata()["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            obj.Metadata()["finalizers"] = finalizers;
        }

        finalizers.Add(finalizer);
    }

    private void ThrowIfInvalid(JsonObject obj, FieldErrorList errors)
    {
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Group, Definition.Kind, obj.Name() ?? "", errors);
        }
    }

    private FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errors = ObjectMetaValidation.ValidateObjectMeta(obj["metadata"] as JsonObject, Definition.Namespaced, Definition.Strategy.NameValidation, FieldPath.Root("metadata"), Definition.ValidatesFinalizerNames);
        errors.AddRange(Definition.Strategy.Validate(obj));
        return errors;
    }

    private FieldErrorList ValidateUpdate(JsonObject updated, JsonObject current, IResourceStrategy strategy)
    {
        var errors = ObjectMetaValidation.ValidateObjectMetaUpdate(updated["metadata"] as JsonObject, current["metadata"] as JsonObject, FieldPath.Root("metadata"), Definition.ValidatesFinalizerNames);
        errors.AddRange(strategy.ValidateUpdate(updated, current));
        return errors;
    }

    // The subresource an update writes through, as admission attributes name it.
    private static string SubresourceOf(IResourceStrategy strategy) => strategy switch
    {
        StatusStrategy => "status",
        ISubresourceStrategy subresource => subresource.Subresource,
        _ => "",
    };

}
