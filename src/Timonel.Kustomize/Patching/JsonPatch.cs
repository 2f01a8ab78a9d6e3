using System.Globalization;
using Timonel.Kustomize.Generators;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Patching;

/// <summary>
/// RFC 6902 JSON patch over YAML trees (kustomize uses evanphx/json-patch): add, remove, replace, move, copy, test,
/// paths as RFC 6901 pointers. Error texts follow json-patch's where kustomize surfaces them.
/// </summary>
public static class JsonPatch
{
    /// <summary>Applies the operations in order; returns the new document root.</summary>
    public static YNode Apply(YNode document, YSeq operations)
    {
        var root = new YMap();
        root["$"] = document;
        foreach (var opNode in operations.Items)
        {
            if (opNode is not YMap op)
            {
                throw new KustomizeException("json patch operation must be an object");
            }
            var kind = op.GetString("op") ?? "";
            var path = op.GetString("path") ?? throw new KustomizeException($"Unable to get path for op {kind}");
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op, kind));
                    break;
                case "remove":
                    Remove(root, path, kind);
                    break;
                case "replace":
                    // kustomize's json-patch library lets replace create a missing object key (observed with
                    // kubectl kustomize v5.5); a missing list index or parent still fails.
                    if (!(Parent(root, path, kind) is (YMap, _)))
                    {
                        Remove(root, path, kind);
                    }
                    Add(root, path, Value(op, kind));
                    break;
                case "move":
                    var from = op.GetString("from") ?? throw new KustomizeException("Unable to get from for op move");
                    var moved = Remove(root, from, kind);
                    Add(root, path, moved);
                    break;
                case "copy":
                    var source = op.GetString("from") ?? throw new KustomizeException("Unable to get from for op copy");
                    Add(root, path, Get(root, source, kind).Clone());
                    break;
                case "test":
                    var actual = Get(root, path, kind);
                    if (NameHasher.Json(actual) != NameHasher.Json(Value(op, kind)))
                    {
                        throw new KustomizeException($"testing value {path} failed: test failed");
                    }
                    break;
                default:
                    throw new KustomizeException($"Unexpected kind: {kind}");
            }
        }
        return root["$"]!;
    }

    private static YNode Value(YMap op, string kind) =>
        op["value"]?.Clone() ?? throw new KustomizeException($"Unable to get value for op {kind}");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }
        if (path[0] != '/')
        {
            throw new KustomizeException($"Unable to get path for op: invalid pointer {path}");
        }
        return path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    // Resolves the parent container of a path; the synthetic "$" key holds the document so "" works too.
    private static (YNode Parent, string Key) Parent(YMap root, string path, string kind)
    {
        var tokens = Tokens(path);
        tokens.Insert(0, "$");
        YNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw Missing(kind, path);
        }
        return (current, tokens[^1]);
    }

    private static KustomizeException Missing(string kind, string path) =>
        new(kind == "test" ? $"testing value {path} failed: test failed" : $"{ErrorVerb(kind)} operation does not apply: doc is missing path: \"{path}\": missing value");

    private static string ErrorVerb(string kind) => kind switch
    {
        "remove" => "remove",
        "replace" => "replace",
        "move" => "move",
        "copy" => "copy",
        _ => "add",
    };

    private static YNode? Child(YNode node, string token) => node switch
    {
        YMap m => m[token],
        YSeq s when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < s.Items.Count => s.Items[i],
        _ => null,
    };

    private static YNode Get(YMap root, string path, string kind)
    {
        var (parent, key) = Parent(root, path, kind);
        return Child(parent, key) ?? throw Missing(kind, path);
    }

    private static void Add(YMap root, string path, YNode value)
    {
        var (parent, key) = Parent(root, path, "add");
        switch (parent)
        {
            case YMap m:
                m[key] = value;
                break;
            case YSeq s:
                if (key == "-")
                {
                    s.Items.Add(value);
                    break;
                }
                if (!int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) || i > s.Items.Count || i < -s.Items.Count)
                {
                    throw new KustomizeException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
                }
                s.Items.Insert(i < 0 ? s.Items.Count + i : i, value);
                break;
            default:
                throw Missing("add", path);
        }
    }

    private static YNode Remove(YMap root, string path, string kind)
    {
        var (parent, key) = Parent(root, path, kind);
        switch (parent)
        {
            case YMap m when m[key] is { } v:
                m.Remove(key);
                return v;
            case YSeq s when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < s.Items.Count:
                var item = s.Items[i];
                s.Items.RemoveAt(i);
                return item;
            default:
                throw Missing(kind, path);
        }
    }
}
