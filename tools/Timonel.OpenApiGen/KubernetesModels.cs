using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Timonel.OpenApiGen;

/// <summary>
/// The KubernetesClient model classes (k8s.Models.V1Pod ...) indexed by upstream definition name and by kind. The
/// client generates one class per upstream OpenAPI definition but keeps only the version in the class name, so the
/// group of a nested type is recovered here: apimachinery's meta/v1 types are listed by name, types whose name
/// collides across groups carry the group as a prefix (Corev1Event), and every other nested type belongs to the group
/// of the top-level kinds that reach it (core wins when core kinds reach it, as core never references other groups).
/// </summary>
internal sealed partial class KubernetesModels
{
    /// <summary>Types of k8s.io/apimachinery/pkg/apis/meta/v1 that the client names like core v1 types.</summary>
    private static readonly HashSet<string> _metaTypes =
    [
        "V1APIGroup", "V1APIGroupList", "V1APIResource", "V1APIResourceList", "V1APIVersions", "V1Condition", "V1DeleteOptions",
        "V1FieldSelectorRequirement", "V1GroupVersionForDiscovery", "V1LabelSelector", "V1LabelSelectorRequirement", "V1ListMeta",
        "V1ManagedFieldsEntry", "V1ObjectMeta", "V1OwnerReference", "V1Patch", "V1Preconditions", "V1ServerAddressByClientCIDR",
        "V1Status", "V1StatusCause", "V1StatusDetails", "V1WatchEvent",
    ];

    private readonly Dictionary<Type, string> _names = [];
    private readonly Dictionary<Type, (string Group, string Version, string Kind)> _kinds = [];
    private readonly Dictionary<(string Group, string Version, string Kind), Type> _byKind = [];
    private readonly Dictionary<Type, IReadOnlyList<ModelProperty>> _properties = [];
    private readonly Lazy<ModelDocs> _docs;

    public KubernetesModels()
    {
        var assembly = typeof(V1Pod).Assembly;
        _docs = new Lazy<ModelDocs>(() => ModelDocs.Load(assembly));
        var models = assembly.GetExportedTypes().Where(IsModelCandidate).ToList();
        var nested = new List<Type>();
        foreach (var type in models)
        {
            var entity = type.GetCustomAttribute<KubernetesEntityAttribute>();
            if (_metaTypes.Contains(type.Name))
            {
                _names[type] = $"{DefinitionNames.Meta}.{type.Name[2..]}";
            }
            else if (entity?.Kind is { Length: > 0 } kind)
            {
                var gvk = (entity.Group ?? "", entity.ApiVersion, kind);
                _names[type] = $"{DefinitionNames.Package(gvk.Item1, gvk.ApiVersion)}.{kind}";
                _kinds[type] = gvk;
                _byKind[gvk] = type;
            }
            else if (GroupPrefixed().Match(type.Name) is { Success: true } prefixed)
            {
                _names[type] = $"{DefinitionNames.Package(prefixed.Groups["group"].Value.ToLowerInvariant(), prefixed.Groups["version"].Value)}.{prefixed.Groups["short"].Value}";
            }
            else
            {
                nested.Add(type);
            }
        }

        var reachedFrom = GroupsReaching(models);
        foreach (var type in nested)
        {
            if (Versioned().Match(type.Name) is not { Success: true } match)
            {
                continue;
            }

            var version = "v" + match.Groups["version"].Value;
            var groups = reachedFrom.GetValueOrDefault(type) ?? [];
            var group = groups.Contains("") ? "" : groups.Order(StringComparer.Ordinal).FirstOrDefault() ?? "";
            _names[type] = $"{DefinitionNames.Package(group, version)}.{match.Groups["short"].Value}";
        }
    }

    /// <summary>The models' XML documentation (upstream's descriptions), read on first use.</summary>
    public ModelDocs Docs => _docs.Value;

    public bool IsModel(Type type) => _names.ContainsKey(type);

    public string DefinitionName(Type model) => _names[model];

    /// <summary>The group/version/kind of a top-level kind's class (V1Pod, V1PodList), or null for nested types.</summary>
    public (string Group, string Version, string Kind)? KindOf(Type model) => _kinds.TryGetValue(model, out var gvk) ? gvk : null;

    public Type? TypeFor(string group, string version, string kind) => _byKind.GetValueOrDefault((group, version, kind));

    /// <summary>The serialized properties of a model in declaration order, with their JSON names.</summary>
    public IReadOnlyList<ModelProperty> Properties(Type model)
    {
        if (!_properties.TryGetValue(model, out var properties))
        {
            _properties[model] = properties = ReadProperties(model);
        }

        return properties;
    }

    private static List<ModelProperty> ReadProperties(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            // A non-nullable value type is how the client's code generator marks a required scalar (containerPort, replicas of a Scale...);
            // required strings and objects cannot be told apart from optional ones in the generated code.
            .Select(p => new ModelProperty(p.Name!, p.Property.PropertyType, p.Property, p.Property.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.Property.PropertyType) is null)),
    ];

    private static bool IsModelCandidate(Type type) =>
        type.Namespace == "k8s.Models" && type.IsClass && !type.IsGenericTypeDefinition &&
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null);

    /// <summary>For every model, the groups of the top-level kinds whose object graph contains it.</summary>
    private Dictionary<Type, HashSet<string>> GroupsReaching(List<Type> models)
    {
        var modelSet = models.ToHashSet();
        var result = new Dictionary<Type, HashSet<string>>();
        foreach (var (kindType, gvk) in _kinds)
        {
            var seen = new HashSet<Type>();
            var queue = new Queue<Type>([kindType]);
            while (queue.TryDequeue(out var type))
            {
                if (!seen.Add(type))
                {
                    continue;
                }

                if (!result.TryGetValue(type, out var groups))
                {
                    result[type] = groups = [];
                }

                groups.Add(gvk.Group);
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    foreach (var referenced in ModelsIn(property.PropertyType).Where(modelSet.Contains))
                    {
                        queue.Enqueue(referenced);
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<Type> ModelsIn(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().SelectMany(ModelsIn) : [type];

    [GeneratedRegex("^(?<group>[A-Z][a-z]+)(?<version>v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<short>[A-Z].*)$")]
    private static partial Regex GroupPrefixed();

    [GeneratedRegex("^V(?<version>[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<short>[A-Z].*)$")]
    private static partial Regex Versioned();
}
