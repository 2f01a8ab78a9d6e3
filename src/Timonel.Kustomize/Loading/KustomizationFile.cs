using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Loading;

/// <summary>
/// A parsed kustomization.yaml (or Component). Fields are read from the YAML tree on demand; loading checks for
/// unknown fields and prints the deprecation warnings kustomize prints.
/// </summary>
public sealed class KustomizationFile
{
    // The JSON field names of kustomize's types.Kustomization (api/types/kustomization.go, v5.5).
    private static readonly HashSet<string> _knownFields =
    [
        "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels",
        "commonAnnotations", "buildMetadata", "patchesStrategicMerge", "patchesJson6902", "patches", "images", "imageTags",
        "replacements", "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases",
        "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts", "helmChartInflationGenerator",
        "generatorOptions", "configurations", "generators", "transformers", "validators",
    ];

    // Deprecation warnings, in the order kustomize checks them (types.Kustomization.CheckDeprecatedFields).
    private static readonly (string Field, string Message)[] _deprecations =
    [
        ("bases", "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
        ("commonLabels", "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
        ("imageTags", "# Warning: 'imageTags' is deprecated. Please use 'images' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
        ("patchesJson6902", "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
        ("patchesStrategicMerge", "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
        ("vars", "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically."),
    ];

    private KustomizationFile(YMap root, string directory)
    {
        Root = root;
        Directory = directory;
    }

    public YMap Root { get; }

    public string Directory { get; }

    public string Kind => Root.GetString("kind") ?? "Kustomization";

    public bool IsComponent => Kind == "Component";

    // The names kustomize looks for, in order (konfig.RecognizedKustomizationFileNames).
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static KustomizationFile Load(string directory, TextWriter warnings)
    {
        var found = FileNames.Select(n => Path.Combine(directory, n)).Where(File.Exists).ToList();
        if (found.Count == 0)
        {
            // target.NewErrMissingKustomization
            throw new KustomizeException(
                $"unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{directory}'");
        }
        if (found.Count > 1)
        {
            throw new KustomizeException($"Found multiple kustomization files under: {directory}\n");
        }
        var text = File.ReadAllText(found[0]);
        YNode? node;
        try
        {
            node = YamlReader.ReadOne(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KustomizeException("invalid Kustomization: " + e.Message);
        }
        var root = node as YMap ?? new YMap();
        foreach (var key in root.Keys)
        {
            if (!_knownFields.Contains(key))
            {
                throw new KustomizeException($"invalid Kustomization: json: unknown field \"{key}\"");
            }
        }
        foreach (var (field, message) in _deprecations)
        {
            if (root[field] is not null and not YScalar { Kind: ScalarKind.Null })
            {
                warnings.WriteLine(message);
            }
        }
        if (root.Keys.All(k => k is "apiVersion" or "kind"))
        {
            throw new KustomizeException("kustomization.yaml is empty");
        }
        var k = new KustomizationFile(root, directory);
        var errors = new List<string>();
        if (root.GetString("kind") is { } kind && kind != "Kustomization" && kind != "Component")
        {
            errors.Add("kind should be Kustomization or Component");
        }
        var required = k.IsComponent ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
        if (root.GetString("apiVersion") is { } av && av != required)
        {
            errors.Add($"apiVersion for {k.Kind} should be {required}");
        }
        if (errors.Count > 0)
        {
            throw new KustomizeException($"Failed to read kustomization file under {directory}:\n" + string.Join("\n", errors));
        }
        return k;
    }

    public string? GetString(string field) => Root.GetString(field);

    /// <summary>A list of strings (resources, components, crds...), empty when absent.</summary>
    public List<string> GetStrings(string field) =>
        Root[field] is YSeq seq ? seq.Items.OfType<YScalar>().Select(s => s.Value).ToList() : [];

    public List<YNode> GetList(string field) => Root[field] is YSeq seq ? seq.Items : [];

    /// <summary>A string map (commonLabels, commonAnnotations), in file order.</summary>
    public List<KeyValuePair<string, string>> GetStringMap(string field) => StringMap(Root[field]);

    public static List<KeyValuePair<string, string>> StringMap(YNode? node) =>
        node is YMap m ? m.Entries.Select(e => new KeyValuePair<string, string>(e.Key, ScalarText(e.Value))).ToList() : [];

    public static string ScalarText(YNode? node) => node is YScalar { Kind: not ScalarKind.Null } s ? s.Value : "";
}
