using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// replacements: copies a value from one object's field into fields of the selected objects (api/filters/replacement).
/// Field paths are dotted, with [key=value] list selectors, numeric indexes and [a.b] quoted keys.
/// </summary>
public static class ReplacementTransformer
{
    public static void Apply(ResourceList ra, YNode entry, FileSource files)
    {
        if (entry is YMap m && m.GetString("path") is { } path)
        {
            foreach (var doc in YamlReader.ReadAll(files.ReadText(path)))
            {
                foreach (var item in doc is YSeq s ? s.Items : [doc])
                {
                    Apply(ra, item, files);
                }
            }
            return;
        }
        if (entry is not YMap replacement)
        {
            return;
        }
        var value = SourceValue(ra, replacement.GetMap("source") ?? throw new KustomizeException("replacements must specify a source and at least one target"));
        foreach (var target in replacement.GetSeq("targets")?.Items.OfType<YMap>() ?? [])
        {
            ApplyTarget(ra, target, value);
        }
    }

    private static YNode SourceValue(ResourceList ra, YMap source)
    {
        var selector = Selector.FromNode(source);
        var matches = ra.Items.Where(selector.Matches).ToList();
        if (matches.Count != 1)
        {
            throw new KustomizeException(matches.Count == 0
                ? $"nothing selected by {Describe(source)}"
                : $"multiple matches for selector {Describe(source)}");
        }
        var fieldPath = source.GetString("fieldPath") ?? "metadata.name";
        var places = Find(matches[0].Node, ParsePath(fieldPath), create: false).ToList();
        if (places.Count == 0)
        {
            throw new KustomizeException($"fieldPath `{fieldPath}` is missing for replacement source {matches[0].Id}");
        }
        var found = places[0];
        var node = found.Parent is YMap pm ? pm[found.Key]! : ((YSeq)found.Parent).Items[int.Parse(found.Key, System.Globalization.CultureInfo.InvariantCulture)];
        if (source.GetMap("options") is { } options && node is YScalar scalar)
        {
            var delimiter = options.GetString("delimiter") ?? "";
            if (delimiter.Length > 0)
            {
                var parts = scalar.Value.Split(delimiter);
                var index = int.Parse(options.GetString("index") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                if (index >= parts.Length || index < 0)
                {
                    throw new KustomizeException($"options.index {index} is out of bounds for value {scalar.Value}");
                }
                return new YScalar(parts[index]);
            }
        }
        return node.Clone();
    }

    private static string Describe(YMap source)
    {
        var id = new ResId(source.GetString("group") ?? "", source.GetString("version") ?? "", source.GetString("kind") ?? "",
            source.GetString("name") ?? "", source.GetString("namespace") ?? "");
        return id.ToString();
    }

    private static void ApplyTarget(ResourceList ra, YMap target, YNode value)
    {
        var select = target.GetMap("select") is { } s ? Selector.FromNode(s) : new Selector();
        var rejects = target.GetSeq("reject")?.Items.OfType<YMap>().Select(Selector.FromNode).ToList() ?? [];
        var options = target.GetMap("options");
        var create = options?["create"] is YScalar { Value: "true" };
        foreach (var r in ra.Items.Where(r => select.Matches(r) && !rejects.Any(x => x.Matches(r))))
        {
            foreach (var fieldPath in target.GetSeq("fieldPaths")?.Items.OfType<YScalar>().Select(x => x.Value) ?? ["metadata.name"])
            {
                var places = Find(r.Node, ParsePath(fieldPath), create).ToList();
                if (places.Count == 0 && !create)
                {
                    throw new KustomizeException($"unable to find field \"{fieldPath}\" in replacement target");
                }
                foreach (var (parent, key) in places)
                {
                    Set(parent, key, Combine(Get(parent, key), value, options));
                }
            }
        }
    }

    private static YNode Combine(YNode? current, YNode value, YMap? options)
    {
        var delimiter = options?.GetString("delimiter") ?? "";
        if (delimiter.Length == 0 || current is not YScalar cur || value is not YScalar v)
        {
            return value.Clone();
        }
        var parts = cur.Value.Split(delimiter).ToList();
        var index = int.Parse(options!.GetString("index") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (index < 0)
        {
            parts.Insert(0, v.Value);
        }
        else if (index >= parts.Count)
        {
            parts.Add(v.Value);
        }
        else
        {
            parts[index] = v.Value;
        }
        return new YScalar(string.Join(delimiter, parts));
    }

    private static YNode? Get(YNode parent, string key) => parent switch
    {
        YMap m => m[key],
        YSeq s => s.Items[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)],
        _ => null,
    };

    private static void Set(YNode parent, string key, YNode value)
    {
        if (parent is YMap m)
        {
            m[key] = value;
        }
        else if (parent is YSeq s)
        {
            s.Items[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
    }

    /// <summary>Splits "a.b.[name=x].c" into segments; brackets protect dots.</summary>
    public static List<string> ParsePath(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            if (c == '.' && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        parts.Add(current.ToString());
        return parts.Where(p => p.Length > 0).ToList();
    }

    /// <summary>The (parent, key) places a path leads to; "*" and [k=v] may select several list elements.</summary>
    private static IEnumerable<(YNode Parent, string Key)> Find(YNode node, List<string> path, bool create)
    {
        var current = new List<YNode> { node };
        for (var i = 0; i < path.Count; i++)
        {
            var seg = path[i];
            var last = i == path.Count - 1;
            var next = new List<YNode>();
            foreach (var n in current)
            {
                if (seg.StartsWith('[') && seg.EndsWith(']') && seg.Contains('=') && n is YSeq seq)
                {
                    var kv = seg[1..^1].Split('=', 2);
                    var hits = seq.Items.OfType<YMap>().Where(m => m.GetString(kv[0]) == kv[1]).ToList();
                    if (hits.Count == 0 && create)
                    {
                        var fresh = new YMap();
                        fresh.SetString(kv[0], kv[1]);
                        seq.Items.Add(fresh);
                        hits.Add(fresh);
                    }
                    if (last)
                    {
                        foreach (var h in hits)
                        {
                            yield return (seq, seq.Items.IndexOf(h).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                    next.AddRange(hits);
                    continue;
                }
                var key = seg.StartsWith('[') && seg.EndsWith(']') ? seg[1..^1] : seg;
                if (n is YSeq s2)
                {
                    var indexes = key == "*" ? Enumerable.Range(0, s2.Items.Count)
                        : int.TryParse(key, out var idx) && idx < s2.Items.Count ? [idx] : [];
                    foreach (var ix in indexes)
                    {
                        if (last)
                        {
                            yield return (s2, ix.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                        next.Add(s2.Items[ix]);
                    }
                    continue;
                }
                if (n is not YMap map)
                {
                    continue;
                }
                if (last)
                {
                    if (map.ContainsKey(key) || create)
                    {
                        yield return (map, key);
                    }
                    continue;
                }
                var child = map[key];
                if (child is null or YScalar { Kind: ScalarKind.Null })
                {
                    if (!create)
                    {
                        continue;
                    }
                    child = path[i + 1].StartsWith('[') && path[i + 1].Contains('=') ? new YSeq() : new YMap();
                    map[key] = child;
                }
                next.Add(child);
            }
            current = next;
        }
    }
}
