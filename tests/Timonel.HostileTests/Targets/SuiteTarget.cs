using System.Text.Json.Nodes;

namespace Timonel.HostileTests.Targets;

/// <summary>What one class's generator aims at: its namespace, the served kinds, the field catalog, the sample bodies, the objects that exist.</summary>
internal sealed class SuiteTarget(
    string ns, IReadOnlyList<ServedKind> kinds, FieldCatalogFile catalog, IReadOnlyDictionary<string, JsonObject> examples, IReadOnlyList<ExistingObject> existing, string continueToken)
{
    public const string ExistingName = "existing";

    /// <summary>The start of the names of the suite's namespaces, one per class.</summary>
    public const string NamespacePrefix = "hostile-ns-";

    /// <summary>The class's own namespace: {ns} in its cases' paths.</summary>
    public string Namespace { get; } = ns;

    public IReadOnlyList<ServedKind> Kinds { get; } = kinds;

    public FieldCatalogFile Catalog { get; } = catalog;

    public IReadOnlyList<ExistingObject> Existing { get; } = existing;

    /// <summary>A continue token the server handed out for a list of the namespace's ConfigMaps (limit=1).</summary>
    public string ContinueToken { get; } = continueToken;

    /// <summary>The kinds a POST creates, that the catalog types (the others decode untyped or are not stored).</summary>
    public IEnumerable<ServedKind> Creatable => Kinds.Where(k => k.Can("create") && Catalog.Holds(k));

    public ServedKind Kind(string groupVersion, string kind) => Kinds.First(k => k.GroupVersion == groupVersion && k.Kind == kind);

    public ExistingObject ExistingOf(string kind) => Existing.First(e => e.Kind.Kind == kind);

    /// <summary>
    /// A body to mutate for the kind: the repo's example of it when there is one, else the least an object is; named
    /// "hostile-..." so whatever a faulty server might create is easy to tell apart.
    /// </summary>
    public JsonObject BaseBody(ServedKind kind)
    {
        var body = examples.TryGetValue($"{kind.GroupVersion}/{kind.Kind}", out var example)
            ? (JsonObject)example.DeepClone()
            : new JsonObject { ["apiVersion"] = kind.GroupVersion, ["kind"] = kind.Kind, ["metadata"] = new JsonObject() };
        body["metadata"]!["name"] = "hostile-" + kind.Kind.ToLowerInvariant();
        body["metadata"]!.AsObject().Remove("namespace");
        return body;
    }

    /// <summary>The kinds that have an example body (a real, valid object rather than a bare one).</summary>
    public IEnumerable<ServedKind> WithExamples => Creatable.Where(k => examples.ContainsKey($"{k.GroupVersion}/{k.Kind}"));
}
