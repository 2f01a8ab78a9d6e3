using k8s.Models;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApiGen;

/// <summary>
/// The server's field catalog (src/Timonel.ApiServer/OpenApi/FieldCatalog.cs) for the served kinds: every model class
/// reachable from them, with each serialized property's JSON name and type spelled as FieldShape reads it back.
/// </summary>
internal sealed class FieldCatalogBuilder(KubernetesModels models)
{
    // The fields k8s.io/api types as metav1.MicroTime (their OpenAPI names io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime):
    // the models type them as DateTime, like metav1.Time, but MicroTime parses with RFC3339Micro.
    private static readonly HashSet<(string Type, string Field)> _microTimes =
    [
        ("io.k8s.api.core.v1.Event", "eventTime"),
        ("io.k8s.api.core.v1.EventSeries", "lastObservedTime"),
        ("io.k8s.api.events.v1.Event", "eventTime"),
        ("io.k8s.api.events.v1.EventSeries", "lastObservedTime"),
        ("io.k8s.api.coordination.v1.LeaseSpec", "acquireTime"),
        ("io.k8s.api.coordination.v1.LeaseSpec", "renewTime"),
    ];

    private readonly Queue<Type> _pending = new();
    private readonly HashSet<Type> _queued = [];

    public byte[] Build(IEnumerable<ResourceDefinition> resources)
    {
        var kinds = new List<(string ApiVersion, string Kind, string Type)>();
        foreach (var resource in resources)
        {
            if (models.TypeFor(resource.Group, resource.Version, resource.Kind) is { } model)
            {
                kinds.Add((resource.ApiVersion, resource.Kind, Spell(model)));
            }
        }

        var types = new SortedDictionary<string, List<(string Field, string Type)>>(StringComparer.Ordinal);
        while (_pending.TryDequeue(out var model))
        {
            var name = models.DefinitionName(model);
            types[name] = [.. models.Properties(model).Select(p => (p.JsonName, _microTimes.Contains((name, p.JsonName)) ? FieldShape.Word(FieldShapeKind.MicroTime) : Spell(p.Type)))];
        }

        return FieldCatalog.Write(kinds, types.Select(t => (t.Key, (IEnumerable<(string, string)>)t.Value)));
    }

    /// <summary>A property type as the catalog spells it, queueing the model classes it names.</summary>
    private string Spell(Type type)
    {
        type = ClrShapes.Unwrap(type);
        if (ClrShapes.ElementOf(type) is { } element)
        {
            return FieldShape.ListPrefix + Spell(element);
        }

        if (ClrShapes.MapValueOf(type) is { } value)
        {
            return FieldShape.MapPrefix + Spell(value);
        }

        if (models.IsModel(type))
        {
            if (_queued.Add(type))
            {
                _pending.Enqueue(type);
            }

            return models.DefinitionName(type);
        }

        return FieldShape.Word(Scalar(type));
    }

    private static FieldShapeKind Scalar(Type type) => type switch
    {
        _ when type == typeof(string) => FieldShapeKind.String,
        // metav1.Time (and MicroTime, which the models do not tell apart: see _microTimes).
        _ when type == typeof(DateTime) => FieldShapeKind.Time,
        _ when type == typeof(IntOrString) => FieldShapeKind.IntOrString,
        _ when type == typeof(ResourceQuantity) => FieldShapeKind.Quantity,
        _ when type == typeof(byte[]) => FieldShapeKind.Bytes,
        _ when type == typeof(bool) => FieldShapeKind.Bool,
        _ when type == typeof(int) => FieldShapeKind.Int32,
        _ when type == typeof(long) => FieldShapeKind.Int64,
        _ when type == typeof(double) => FieldShapeKind.Float64,
        _ when type.IsPrimitive || type == typeof(decimal) => throw new NotSupportedException($"no field shape for {type}: add one to FieldShapeKind"),
        // object (RawExtension, FieldsV1, apiextensions' JSON): any JSON value.
        _ => FieldShapeKind.Any,
    };
}
