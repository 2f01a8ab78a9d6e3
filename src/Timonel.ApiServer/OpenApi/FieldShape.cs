namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// The type of one field of a built-in kind, as the field catalog (OpenApi/Generated/fields.json) spells it: "[]T" a
/// list, "map[string]T" a map with string keys, a definition name ("io.k8s.api.core.v1.PodSpec") an object, or a scalar
/// word ("string", "int32", ...). Knows the name Go's JSON decoder gives the type in a type error.
/// </summary>
internal sealed class FieldShape
{
    public const string ListPrefix = "[]";
    public const string MapPrefix = "map[string]";

    private static readonly Dictionary<string, FieldShape> _scalars = new[]
    {
        new FieldShape(FieldShapeKind.String, "string"),
        new FieldShape(FieldShapeKind.Bytes, "[]uint8"),
        new FieldShape(FieldShapeKind.Bool, "bool"),
        new FieldShape(FieldShapeKind.Int32, "int32"),
        new FieldShape(FieldShapeKind.Int64, "int64"),
        new FieldShape(FieldShapeKind.Float64, "float64"),
        new FieldShape(FieldShapeKind.IntOrString, "intstr.IntOrString"),
        new FieldShape(FieldShapeKind.Quantity, "resource.Quantity"),
        new FieldShape(FieldShapeKind.Time, "v1.Time"),
        new FieldShape(FieldShapeKind.MicroTime, "v1.MicroTime"),
        // Never named in an error: any value fits.
        new FieldShape(FieldShapeKind.Any, "string"),
    }.ToDictionary(s => Word(s.Kind), StringComparer.Ordinal);

    private FieldShape(FieldShapeKind kind, string goName, FieldShape? item = null, ObjectShape? obj = null)
    {
        Kind = kind;
        GoName = goName;
        Item = item;
        Object = obj;
    }

    public FieldShapeKind Kind { get; }

    /// <summary>The type as Go's decoder names it: "[]v1.Container", "map[string]string", "v1.PodSpec", "int32".</summary>
    public string GoName { get; }

    /// <summary>The element of a list or the value of a map.</summary>
    public FieldShape? Item { get; }

    public ObjectShape? Object { get; }

    /// <summary>The catalog's word for a scalar kind: its lower-case name.</summary>
    public static string Word(FieldShapeKind scalar) => scalar.ToString().ToLowerInvariant();

    public static FieldShape? Scalar(string word) => _scalars.GetValueOrDefault(word);

    public static FieldShape ListOf(FieldShape item) => new(FieldShapeKind.List, ListPrefix + item.GoName, item);

    public static FieldShape MapOf(FieldShape value) => new(FieldShapeKind.Map, MapPrefix + value.GoName, value);

    public static FieldShape ObjectOf(ObjectShape obj) => new(FieldShapeKind.Object, obj.GoName, obj: obj);
}
