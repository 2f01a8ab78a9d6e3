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
    /// Whether unqualified finalizer names must be standard ones: true for the kinds of k8s.io/kubernetes' core
    /// validation, false for apiextensions (CRDs) and custom resources, which upstream validates without that rule.
    /// </summary>
    public bool ValidatesFinalizerNames { get; init; } = true;

    /// <summary>Position in discovery (registration order); assigned by the registry.</summary>
    public int Order { get; init; }

    /// <summary>The storage key prefix, e.g. /registry/pods/ or /registry/apps/deployments/ (upstream keeps core keys group-less).</summary>
    public string StoragePrefix => Group.Length == 0 ? $"/registry/{Plural}/" : $"/registry/{Group}/{Plural}/";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    public string StorageKey(string? ns, string name) => Namespaced ? $"{StoragePrefix}{ns}/{name}" : $"{StoragePrefix}{name}";

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

    /// <summary>The key prefix that holds one namespace's objects (or all of them for a null namespace).</summary>
    public string ListPrefix(string? ns) => Namespaced && ns is not null ? $"{StoragePrefix}{ns}/" : StoragePrefix;
}
