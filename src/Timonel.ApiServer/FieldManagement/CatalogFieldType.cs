using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Patching;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The type of a built-in kind's field, built from the generated field catalog (objects, maps, lists, scalars) and the
/// strategic-merge metadata (merge keys), which upstream's list-map keys follow but for ports, keyed with protocol.
/// A field the catalog does not know is read from the value: objects by field, lists atomic, as upstream treats a
/// structural schema without list-type extensions.
/// </summary>
internal sealed class CatalogFieldType : FieldType
{
    // The types of the served kinds that upstream marks +structType=atomic or +mapType=atomic (k8s.io/api and
    // apimachinery's meta/v1 types.go): owned and replaced whole by server-side apply, so managedFields name the
    // field alone (f:fieldRef: {}), and an apply that leaves out a defaulted member (fieldRef.apiVersion) does not
    // keep another manager's copy of it.
    private static readonly HashSet<string> _atomicObjects = new(StringComparer.Ordinal)
    {
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
        "io.k8s.api.core.v1.ConfigMapKeySelector",
        "io.k8s.api.core.v1.EndpointAddress",
        "io.k8s.api.core.v1.EndpointPort",
        "io.k8s.api.core.v1.LocalObjectReference",
        "io.k8s.api.core.v1.NodeSelector",
        "io.k8s.api.core.v1.NodeSelectorTerm",
        "io.k8s.api.core.v1.ObjectFieldSelector",
        "io.k8s.api.core.v1.ObjectReference",
        "io.k8s.api.core.v1.ResourceFieldSelector",
        "io.k8s.api.core.v1.ScopeSelector",
        "io.k8s.api.core.v1.SecretKeySelector",
        "io.k8s.api.core.v1.SecretReference",
        "io.k8s.api.core.v1.TypedLocalObjectReference",
        "io.k8s.api.discovery.v1.EndpointPort",
        "io.k8s.api.networking.v1.ServiceBackendPort",
        "io.k8s.api.rbac.v1.RoleRef",
        "io.k8s.api.rbac.v1.Subject",

        // core/v1's TopologySelectorTerm, under the name the catalog's source (the client's models) files it.
        "io.k8s.api.storage.v1.TopologySelectorTerm",
    };

    // Upstream's list-map keys add the protocol to the merge key of ports (containerPort or port), defaulting to TCP.
    private static readonly KeyValuePair<string, JsonNode?> _protocolKey = new("protocol", JsonValue.Create("TCP"));

    private readonly FieldShape? _shape;
    private readonly PatchField _patch;
    private readonly ConcurrentDictionary<string, FieldType> _fields = new(StringComparer.Ordinal);
    private FieldType? _item;

    public CatalogFieldType(FieldShape? shape, PatchField patch)
    {
        _shape = shape;
        _patch = patch;
    }

    /// <summary>A field the catalog does not know, read from its values.</summary>
    private static CatalogFieldType Unknown { get; } = new(null, PatchField.Default);

    public override FieldTypeKind KindOf(JsonNode? value)
    {
        var json = value?.GetValueKind();
        if (_shape is null)
        {
            return json switch
            {
                JsonValueKind.Object => FieldTypeKind.Struct,
                JsonValueKind.Array => _patch.Strategy == PatchStrategy.Merge ? FieldTypeKind.List : FieldTypeKind.Leaf,
                _ => FieldTypeKind.Leaf,
            };
        }

        return _shape.Kind switch
        {
            FieldShapeKind.Object when json == JsonValueKind.Object && !_atomicObjects.Contains(_shape.Object!.DefinitionName) => FieldTypeKind.Struct,
            FieldShapeKind.Map when json == JsonValueKind.Object => FieldTypeKind.Map,
            FieldShapeKind.List when json == JsonValueKind.Array && _patch.Strategy == PatchStrategy.Merge => FieldTypeKind.List,
            _ => FieldTypeKind.Leaf,
        };
    }

    public override bool IsSet => _patch.MergeKey is null;

    public override bool Declares(string name) => _shape?.Kind != FieldShapeKind.Object || _shape.Object!.Fields.ContainsKey(name);

    public override FieldType Field(string name)
    {
        if (_shape is null)
        {
            var patch = _patch.Schema.Field(name);
            return ReferenceEquals(patch, PatchField.Default) ? Unknown : _fields.GetOrAdd(name, n => new CatalogFieldType(null, _patch.Schema.Field(n)));
        }

        return _shape.Kind == FieldShapeKind.Map
            ? Item
            : _fields.GetOrAdd(name, n => new CatalogFieldType(_shape.Object?.Fields.GetValueOrDefault(n), _patch.Schema.Field(n)));
    }

    public override FieldType Item => _item ??= new CatalogFieldType(_shape?.Item, _shape?.Kind == FieldShapeKind.Map ? PatchField.Default : PatchField.Default with { Schema = _patch.Schema });

    /// <summary>The key fields of a keyed list's item, a missing protocol as TCP.</summary>
    public override IReadOnlyList<KeyValuePair<string, JsonNode?>> KeyOf(JsonObject item)
    {
        var key = _patch.MergeKey!;
        var keys = new List<KeyValuePair<string, JsonNode?>> { new(key, item[key]) };
        if (key is "containerPort" or "port" && _shape?.Item?.Object?.Fields.ContainsKey(_protocolKey.Key) == true)
        {
            keys.Add(new(_protocolKey.Key, item[_protocolKey.Key] ?? _protocolKey.Value));
        }

        return keys;
    }

    /// <summary>A built-in kind's type: the catalog's shape with the kind's merge metadata.</summary>
    public static CatalogFieldType ForKind(ObjectShape shape, PatchSchema? patch) =>
        new(FieldShape.ObjectOf(shape), PatchField.Default with { Schema = patch ?? PatchSchema.Empty });
}
