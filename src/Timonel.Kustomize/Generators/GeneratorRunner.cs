using System.Text;
using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Generators;

/// <summary>
/// configMapGenerator and secretGenerator: builds each object, then adds it to the build or merges it into / replaces
/// an existing one according to its behavior (kustomize's ResAccumulator.AbsorbAll).
/// </summary>
internal static class GeneratorRunner
{
    public static void Run(KustomizationFile k, FileSource files, ResourceList ra)
    {
        var global = k.Root.GetMap("generatorOptions");
        foreach (var entry in k.GetList("configMapGenerator").OfType<YMap>())
        {
            Absorb(ra, Generate(entry, global, files, secret: false));
        }
        foreach (var entry in k.GetList("secretGenerator").OfType<YMap>())
        {
            Absorb(ra, Generate(entry, global, files, secret: true));
        }
    }

    private static Resource Generate(YMap args, YMap? global, FileSource files, bool secret)
    {
        var obj = new YMap();
        obj.SetString("apiVersion", "v1");
        obj.SetString("kind", secret ? "Secret" : "ConfigMap");
        var meta = obj.GetOrAddMap("metadata");
        meta.SetString("name", args.GetString("name") ?? "");
        if (args.GetString("namespace") is { Length: > 0 } ns)
        {
            meta.SetString("namespace", ns);
        }
        var local = args.GetMap("options");
        CopyStrings(global?.GetMap("labels"), meta, "labels");
        CopyStrings(local?.GetMap("labels"), meta, "labels");
        CopyStrings(global?.GetMap("annotations"), meta, "annotations");
        CopyStrings(local?.GetMap("annotations"), meta, "annotations");
        var data = new YMap();
        foreach (var (key, value) in DataSources.Collect(args, files))
        {
            if (data.ContainsKey(key))
            {
                // kv.validateKey / the ConfigMap factory report a repeated key this way.
                throw new KustomizeException($"configmap {meta.GetString("name")} illegally repeats the key `{key}`");
            }
            data.SetString(key, secret ? Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) : value);
        }
        if (data.Count > 0)
        {
            obj["data"] = data;
        }
        if (secret)
        {
            obj.SetString("type", args.GetString("type") is { Length: > 0 } t ? t : "Opaque");
        }
        if (IsTrue(local, "immutable") || IsTrue(global, "immutable"))
        {
            obj["immutable"] = new YScalar("true", ScalarKind.Bool);
        }
        var disableHash = local?["disableNameSuffixHash"] is YScalar d ? d.Value == "true" : IsTrue(global, "disableNameSuffixHash");
        return new Resource(obj)
        {
            NeedsHash = !disableHash,
            Behavior = args.GetString("behavior") is { Length: > 0 } b ? b : "create",
        };
    }

    private static bool IsTrue(YMap? map, string key) => map?[key] is YScalar { Value: "true" };

    private static void CopyStrings(YMap? from, YMap meta, string field)
    {
        if (from is null || from.Count == 0)
        {
            return;
        }
        var target = meta.GetOrAddMap(field);
        foreach (var e in from.Entries)
        {
            target.SetString(e.Key, KustomizationFile.ScalarText(e.Value));
        }
    }

    private static void Absorb(ResourceList ra, Resource generated)
    {
        var id = generated.Id;
        var matches = ra.Items.Where(r => r.Kind == id.Kind && r.HadId(id.Name, id.Namespace)).ToList();
        switch (generated.Behavior)
        {
            case "create":
                if (matches.Count > 0)
                {
                    throw new KustomizeException($"merging from generator {Describe(generated)}: id {GoId(id)} exists; behavior must be merge or replace");
                }
                ra.Append(generated);
                break;
            case "merge" or "replace":
                if (matches.Count != 1)
                {
                    throw new KustomizeException($"merging from generator {Describe(generated)}: id {GoId(id)} does not exist; cannot merge or replace");
                }
                var existing = matches[0];
                if (generated.Behavior == "merge")
                {
                    Merge(existing.Node, generated.Node);
                }
                else
                {
                    var replaced = (YMap)generated.Node.Clone();
                    var meta = replaced.GetOrAddMap("metadata");
                    meta.SetString("name", existing.Name);
                    if (existing.Namespace.Length > 0)
                    {
                        meta.SetString("namespace", existing.Namespace);
                    }
                    existing.ReplaceNode(replaced);
                }
                existing.NeedsHash = generated.NeedsHash;
                break;
            default:
                throw new KustomizeException($"unknown generation behavior '{generated.Behavior}'");
        }
    }

    // Merge keeps the existing object and overlays the generated data, labels and annotations on it.
    private static void Merge(YMap existing, YMap generated)
    {
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (generated.GetMap(field) is { } m)
            {
                var target = existing.GetOrAddMap(field);
                foreach (var e in m.Entries)
                {
                    target[e.Key] = e.Value.Clone();
                }
            }
        }
        var gm = generated.GetMap("metadata")!;
        var em = existing.GetOrAddMap("metadata");
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (gm.GetMap(field) is { } m)
            {
                var target = em.GetOrAddMap(field);
                foreach (var e in m.Entries)
                {
                    target[e.Key] = e.Value.Clone();
                }
            }
        }
        if (generated["immutable"] is { } imm)
        {
            existing["immutable"] = imm.Clone();
        }
    }

    // kustomize prints the generator's Go struct here; the address in it varies from run to run.
    private static string Describe(Resource _) => "&{0xc000000000 <nil>}";

    private static string GoId(ResId id) =>
        $"resid.ResId{{Gvk:resid.Gvk{{Group:\"{id.Group}\", Version:\"{id.Version}\", Kind:\"{id.Kind}\", isClusterScoped:false}}, Name:\"{id.Name}\", Namespace:\"{id.Namespace}\"}}";
}
