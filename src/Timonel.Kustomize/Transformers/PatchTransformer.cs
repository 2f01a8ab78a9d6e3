using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Patching;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// patches, patchesStrategicMerge and patchesJson6902. A patch whose text is a YAML list is a JSON 6902 patch;
/// otherwise it is a strategic merge patch. Without a target, a strategic merge patch applies to the object with its
/// own kind and name (any earlier name counts).
/// </summary>
public static class PatchTransformer
{
    public static void ApplyPatchEntry(ResourceList ra, YMap entry, FileSource files)
    {
        var text = entry.GetString("patch") ?? (entry.GetString("path") is { } p ? files.ReadText(p) : null)
            ?? throw new KustomizeException("must specify one of patch and path in\n" + YamlWriter.Write(entry).TrimEnd('\n'));
        var target = entry.GetMap("target");
        List<YNode> docs;
        try
        {
            docs = YamlReader.ReadAll(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KustomizeException("unable to parse SM or JSON patch from " + text + ": " + e.Message);
        }
        if (docs.Count == 1 && docs[0] is YSeq ops)
        {
            if (target is null)
            {
                throw new KustomizeException("must specify a target for JSON patch " + text);
            }
            ApplyJson(ra, Selector.FromNode(target), ops);
            return;
        }
        foreach (var doc in docs.OfType<YMap>())
        {
            if (target is null)
            {
                ApplyStrategicByOwnId(ra, doc);
            }
            else
            {
                var selector = Selector.FromNode(target);
                foreach (var r in ra.Items.Where(selector.Matches).ToList())
                {
                    ApplyStrategic(ra, r, doc);
                }
            }
        }
    }

    public static void ApplyStrategicFile(ResourceList ra, string entry, FileSource files)
    {
        var text = files.Exists(entry) ? files.ReadText(entry) : entry;
        foreach (var doc in YamlReader.ReadAll(text).OfType<YMap>())
        {
            ApplyStrategicByOwnId(ra, doc);
        }
    }

    public static void ApplyLegacyJson(ResourceList ra, YMap entry, FileSource files)
    {
        var text = entry.GetString("patch") ?? (entry.GetString("path") is { } p ? files.ReadText(p) : "");
        if (YamlReader.ReadOne(text) is YSeq ops && entry.GetMap("target") is { } target)
        {
            ApplyJson(ra, Selector.FromNode(target), ops);
        }
    }

    private static void ApplyJson(ResourceList ra, Selector selector, YSeq ops)
    {
        foreach (var r in ra.Items.Where(selector.Matches).ToList())
        {
            var result = JsonPatch.Apply(r.Node.Clone(), ops);
            if (result is YMap m)
            {
                r.ReplaceNode(m);
            }
        }
    }

    private static void ApplyStrategicByOwnId(ResourceList ra, YMap patch)
    {
        var meta = patch.GetMap("metadata");
        var probe = new Resource(patch);
        var id = new ResId(probe.Group, probe.Version, probe.Kind, meta?.GetString("name") ?? "", meta?.GetString("namespace") ?? "");
        var matches = ra.FindByAnyId(id);
        if (matches.Count == 0)
        {
            throw new KustomizeException($"no resource matches strategic merge patch \"{id}\": no matches for Id {id}; failed to find unique target for patch {id}");
        }
        if (matches.Count > 1)
        {
            throw new KustomizeException($"multiple resources match strategic merge patch \"{id}\"");
        }
        ApplyStrategic(ra, matches[0], patch);
    }

    private static void ApplyStrategic(ResourceList ra, Resource r, YMap patch)
    {
        // The patch must not rename or move its target: kustomize copies the target's name and namespace into it.
        var copy = (YMap)patch.Clone();
        var meta = copy.GetOrAddMap("metadata");
        meta.SetString("name", r.Name);
        if (r.Namespace.Length > 0)
        {
            meta.SetString("namespace", r.Namespace);
        }
        else
        {
            meta.Remove("namespace");
        }
        copy.Remove("apiVersion");
        copy.Remove("kind");
        var result = StrategicMergePatch.Apply((YMap)r.Node.Clone(), copy);
        if (result is null)
        {
            ra.Items.Remove(r);
            return;
        }
        r.ReplaceNode(result);
    }
}
