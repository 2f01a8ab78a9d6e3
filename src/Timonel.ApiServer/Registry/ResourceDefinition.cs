using System.Buffers;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Endpoints.Subresources;
using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// One served resource: its group/version/kind, URL names, scope, discovery data and the strategy that gives it
/// its behaviour. Everything the generic store and the discovery endpoints need to know about a kind.
/// </summary>
public sealed record ResourceDefinition
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    /// <summary>The URL name, lower-case plural ("pods").</summary>
    public required string Plural { get; init; }

    public string Singular => Kind.ToLowerInvariant();

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>"all" puts the kind into <c>kubectl get all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    public required IResourceStrategy Strategy { get; init; }

    /// <summary>Serves <c>/status</c> with a strategy that only changes status.</summary>
    public bool HasStatus { get; init; } = true;

    /// <summary>Serves <c>/scale</c> (autoscaling/v1 Scale) over spec.replicas.</summary>
    public bool HasScale { get; init; }

    /// <summary>
    /// The subresources besides status and scale (which <see cref="HasStatus"/> and <see cref="HasScale"/> declare):
    /// namespaces/finalize, serviceaccounts/token, pods/log, pods/binding... each with its verbs and handler.
    /// </summary>
    public IReadOnlyList<SubresourceDefinition> Subresources { get; init; } = [];

    /// <summary>Every subresource served, by name (the order upstream's discovery lists them in).</summary>
    public IEnumerable<SubresourceDefinition> ServedSubresources
    {
        get
        {
            var served = new List<SubresourceDefinition>(Subresources.Count + 2);
            if (HasStatus)
            {
                served.Add(StatusSubresource.Definition);
            }

            if (HasScale)
            {
                served.Add(ScaleSubresource.Definition);
            }

            served.AddRange(Subresources);
            return served.OrderBy(s => s.Name, StringComparer.Ordinal);
        }
    }

    /// <summary>The served subresource named <paramref name="name"/>, or null.</summary>
    public SubresourceDefinition? FindSubresource(string name) => ServedSubresources.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Whether unqualified finalizer names must be standard ones: true for the kinds of k8s.io/kubernetes' core
    /// validation, false for apiextensions (CRDs) and custom resources, which upstream validates without that rule.
    /// </summary>
    public bool ValidatesFinalizerNames { get; init; } = true;

    /// <summary>
    /// Objects are never stored: the only verb is create, which answers the posted object with the server's verdict in
    /// its status (the review APIs, upstream's registries that implement rest.Creater alone). The behaviour comes from
    /// an <see cref="ICreateOnlyResource"/>; such a kind has no store, list, watch or status subresource.
    /// </summary>
    public bool CreateOnly { get; init; }

    /// <summary>Position in discovery (registration order); assigned by the registry.</summary>
    public int Order { get; init; }

    /// <summary>
    /// Set when the objects are stored as another resource's (events.k8s.io Events as core Events): the store then
    /// converts every object it reads or writes. Null for the usual case, stored as served.
    /// </summary>
    public StorageForm? StoredAs { get; init; }

    /// <summary>
    /// The storage key prefix, e.g. /registry/pods/ or /registry/apps/deployments/ (upstream keeps core keys
    /// group-less); that of the resource the objects are stored as, when <see cref="StoredAs"/> is set.
    /// </summary>
    public string StoragePrefix => StoredAs is { } shared ? KeyPrefix(shared.Group, shared.Plural) : KeyPrefix(Group, Plural);

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>
    /// The key of one object. Upstream's store key functions (apiserver registry/generic/registry/store.go
    /// NamespaceKeyFunc, NoNamespaceKeyFunc) refuse a name that is not one safe path segment ("." or "..", or with
    /// "/" or "%") with a 400 "Name parameter invalid", so no request can address another key.
    /// </summary>
    public string StorageKey(string? ns, string name)
    {
        // The common name passes on a scan without allocating: this is on every create's path.
        if ((name is "." or ".." || name.AsSpan().IndexOfAny('/', '%') >= 0) && NameValidation.IsValidPathSegmentName(name) is { Count: > 0 } problems)
        {
            throw StatusException.BadRequest($"Name parameter invalid: {GoValue.Quote(name)}: {string.Join(";", problems)}");
        }

        return Namespaced ? $"{StoragePrefix}{ns}/{name}" : $"{StoragePrefix}{name}";
    }

    /// <summary>
    /// Whether <paramref name="key"/> is an object of this resource in <paramref name="ns"/> (all namespaces when null):
    /// under the list prefix and exactly one name deep, so no other resource's keys slip into a list or watch.
    /// </summary>
    public bool InListScope(string key, string? ns)
    {
        var prefix = ListPrefix(ns);
        var depth = Namespaced && ns is null ? 1 : 0;
        return key.StartsWith(prefix, StringComparison.Ordinal) && key.AsSpan(prefix.Length).Count('/') == depth;
    }

    /// <summary>
    /// The namespace (null for a cluster-scoped kind) and name a key in this resource's scope stands for: what a
    /// selector on metadata.namespace or metadata.name can be decided on without decoding the object.
    /// </summary>
    public (string? Namespace, string Name) KeyParts(string key)
    {
        var rest = key.AsSpan(StoragePrefix.Length);
        var slash = rest.IndexOf('/');
        return Namespaced && slash >= 0 ? (rest[..slash].ToString(), rest[(slash + 1)..].ToString()) : (null, rest.ToString());
    }

    /// <summary>
    /// Whether a key passes a selector's name and namespace terms (true without any): decided without decoding, so a
    /// list or watch for kube-root-ca.crt in every namespace does not parse every ConfigMap it passes over.
    /// </summary>
    public bool KeyMatches(Func<string?, string, bool>? keyFilter, string key)
    {
        if (keyFilter is null)
        {
            return true;
        }

        var (ns, name) = KeyParts(key);
        return keyFilter(ns, name);
    }

    /// <summary>The key prefix that holds one namespace's objects (or all of them for a null namespace).</summary>
    public string ListPrefix(string? ns) => Namespaced && ns is not null ? $"{StoragePrefix}{ns}/" : StoragePrefix;

    /// <summary>A stored object (with its resourceVersion) as this resource serves it.</summary>
    public JsonObject Decode(KeyValue kv) => Served(StoredObject.Decode(kv));

    /// <summary>
    /// Appends a stored object's JSON as this resource serves it: the stored bytes with the version spliced in, or,
    /// for a resource stored in another's form, the converted object.
    /// </summary>
    public void WriteServedJson(IBufferWriter<byte> output, KeyValue kv)
    {
        if (StoredAs is null)
        {
            StoredObject.WriteWithResourceVersion(output, kv.Value, kv.ModRevision);
            return;
        }

        using var writer = new System.Text.Json.Utf8JsonWriter(output);
        Decode(kv).WriteTo(writer);
    }

    /// <summary>An object in storage form, as this resource serves it (itself when stored as served).</summary>
    public JsonObject Served(JsonObject stored) => StoredAs is { } shared ? shared.Converter.FromStorage(stored) : stored;

    /// <summary>The bytes to store for an object in served form.</summary>
    public byte[] Encode(JsonObject served) => StoredObject.Encode(StoredAs is { } shared ? shared.Converter.ToStorage(served) : served);

    /// <summary>
    /// An object in served form as it will read back once stored: what the conversion to storage form drops or
    /// fills in is dropped or filled in now, so the answer to a write and a no-op check see what a read would.
    /// </summary>
    public JsonObject Normalize(JsonObject served) => StoredAs is { } shared ? shared.Converter.FromStorage(shared.Converter.ToStorage(served)) : served;

    private static string KeyPrefix(string group, string plural) => group.Length == 0 ? $"/registry/{plural}/" : $"/registry/{group}/{plural}/";
}
