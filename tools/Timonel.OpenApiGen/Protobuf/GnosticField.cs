namespace Timonel.OpenApiGen.Protobuf;

/// <summary>
/// One field of a gnostic OpenAPI v2 message and where its value comes from in the JSON document: a property by name,
/// every property whose name matches (each one a Named* entry {1: name, 2: value}, gnostic's ordered maps), or for a
/// oneof alternative the whole JSON value.
/// </summary>
internal sealed record GnosticField(int Number, GnosticFieldKind Kind, GnosticMessage? Message, string? Key, Func<string, bool>? Names)
{
    /// <summary>The value of the JSON property <paramref name="key"/>.</summary>
    public static GnosticField Property(string key, int number, GnosticFieldKind kind, GnosticMessage? message = null) =>
        new(number, kind, message, key, null);

    /// <summary>One Named* entry per JSON property whose name <paramref name="names"/> accepts, in document order.</summary>
    public static GnosticField Named(Func<string, bool> names, int number, GnosticFieldKind kind, GnosticMessage? message = null) =>
        new(number, kind, message, null, names);

    /// <summary>A oneof alternative (or the only field of a wrapper such as TypeItem) taking the whole JSON value.</summary>
    public static GnosticField Value(int number, GnosticFieldKind kind, GnosticMessage? message = null) =>
        new(number, kind, message, null, null);

    /// <summary>Vendor extensions: every "x-" property as a NamedAny whose YAML is the property's value.</summary>
    public static GnosticField Extensions(int number) =>
        Named(name => name.StartsWith("x-", StringComparison.Ordinal), number, GnosticFieldKind.Any);

    /// <summary>Whether this field takes the JSON property <paramref name="name"/>.</summary>
    public bool Takes(string name) => Key == name || (Names?.Invoke(name) ?? false);
}
