using System.Text.Json;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// The fields of every built-in kind, for unknown-field detection and type errors. Generated at development time by
/// tools/Timonel.OpenApiGen from the KubernetesClient models (so the server does not reflect over the ~850 model
/// classes, whose loaded type metadata would stay resident) and embedded as OpenApi/Generated/fields.json:
/// <code>
/// {"kinds": {"apps/v1": {"Deployment": "io.k8s.api.apps.v1.Deployment", ...}, ...},
///  "types": {"io.k8s.api.apps.v1.Deployment": {"apiVersion": "string", "spec": "io.k8s.api.apps.v1.DeploymentSpec", ...}, ...}}
/// </code>
/// Field types are spelled as <see cref="FieldShape"/> describes; every object type named is listed under "types".
/// </summary>
internal sealed class FieldCatalog
{
    private const string KindsProperty = "kinds";
    private const string TypesProperty = "types";
    private const string ObjectMetaDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static readonly Lazy<FieldCatalog> _builtIn = new(() =>
    {
        using var json = GeneratedFiles.Open(GeneratedFiles.Fields);
        return Read(json);
    });

    private readonly Dictionary<(string ApiVersion, string Kind), ObjectShape> _kinds;
    private readonly Dictionary<string, ObjectShape> _types;

    private FieldCatalog(Dictionary<(string ApiVersion, string Kind), ObjectShape> kinds, Dictionary<string, ObjectShape> types)
    {
        _kinds = kinds;
        _types = types;
    }

    /// <summary>The shape of metav1.ObjectMeta, which custom resources' metadata decodes as.</summary>
    public ObjectShape ObjectMeta => _types[ObjectMetaDefinition];

    /// <summary>The catalog of the built-in kinds, read from the embedded file on first use.</summary>
    public static FieldCatalog BuiltIn => _builtIn.Value;

    /// <summary>The object shape of a kind ("apps/v1", "Deployment"), or null for a kind the catalog does not hold.</summary>
    public ObjectShape? Kind(string apiVersion, string kind) => _kinds.GetValueOrDefault((apiVersion, kind));

    public static FieldCatalog Read(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var types = new Dictionary<string, ObjectShape>(StringComparer.Ordinal);
        foreach (var type in root.GetProperty(TypesProperty).EnumerateObject())
        {
            types[type.Name] = new ObjectShape(type.Name);
        }

        ObjectShape Type(string name) =>
            types.GetValueOrDefault(name) ?? throw new InvalidDataException($"field catalog: type {name} is referenced but not listed");

        // One shape per spelling: "[]io.k8s.api.core.v1.Container" is shared by every field of that type.
        var shapes = new Dictionary<string, FieldShape>(StringComparer.Ordinal);
        FieldShape Shape(string spelling)
        {
            if (!shapes.TryGetValue(spelling, out var shape))
            {
                shape = spelling.StartsWith(FieldShape.ListPrefix, StringComparison.Ordinal) ? FieldShape.ListOf(Shape(spelling[FieldShape.ListPrefix.Length..]))
                    : spelling.StartsWith(FieldShape.MapPrefix, StringComparison.Ordinal) ? FieldShape.MapOf(Shape(spelling[FieldShape.MapPrefix.Length..]))
                    : FieldShape.Scalar(spelling) ?? FieldShape.ObjectOf(Type(spelling));
                shapes[spelling] = shape;
            }

            return shape;
        }

        foreach (var type in root.GetProperty(TypesProperty).EnumerateObject())
        {
            foreach (var field in type.Value.EnumerateObject())
            {
                types[type.Name].Fields[field.Name] = Shape(field.Value.GetString()!);
            }
        }

        var kinds = new Dictionary<(string ApiVersion, string Kind), ObjectShape>();
        foreach (var apiVersion in root.GetProperty(KindsProperty).EnumerateObject())
        {
            foreach (var kind in apiVersion.Value.EnumerateObject())
            {
                kinds[(apiVersion.Name, kind.Name)] = Type(kind.Value.GetString()!);
            }
        }

        return new FieldCatalog(kinds, types);
    }

    /// <summary>The catalog file for kinds (apiVersion, kind, type name) and types (name, fields with their spelled types), in the order given.</summary>
    public static byte[] Write(
        IEnumerable<(string ApiVersion, string Kind, string Type)> kinds,
        IEnumerable<(string Name, IEnumerable<(string Field, string Type)> Fields)> types)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(KindsProperty);
            foreach (var apiVersion in kinds.GroupBy(k => k.ApiVersion))
            {
                writer.WriteStartObject(apiVersion.Key);
                foreach (var (_, kind, type) in apiVersion)
                {
                    writer.WriteString(kind, type);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject(TypesProperty);
            foreach (var (name, fields) in types)
            {
                writer.WriteStartObject(name);
                foreach (var (field, type) in fields)
                {
                    writer.WriteString(field, type);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
