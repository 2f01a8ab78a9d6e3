using System.Text.RegularExpressions;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// A patch / replacement target (kustomize's types.Selector): group, version, kind exact; name and namespace as
/// anchored regular expressions tried on the original and the current id; label and annotation selectors.
/// </summary>
public sealed class Selector
{
    public string Group { get; init; } = "";
    public string Version { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Name
    {
        get => _name;
        init
        {
            _name = value;
            _nameRegex = value.Length > 0 ? Anchored(value) : null;
        }
    }

    public string Namespace
    {
        get => _namespace;
        init
        {
            _namespace = value;
            _namespaceRegex = value.Length > 0 ? Anchored(value) : null;
        }
    }

    // Compiled once per selector: a patch is matched against every resource.
    private readonly string _name = "";
    private readonly string _namespace = "";
    private readonly Regex? _nameRegex;
    private readonly Regex? _namespaceRegex;
    public string LabelSelector { get; init; } = "";
    public string AnnotationSelector { get; init; } = "";

    public static Selector FromNode(YMap m) => new()
    {
        Group = m.GetString("group") ?? "",
        Version = m.GetString("version") ?? "",
        Kind = m.GetString("kind") ?? "",
        Name = m.GetString("name") ?? "",
        Namespace = m.GetString("namespace") ?? "",
        LabelSelector = m.GetString("labelSelector") ?? "",
        AnnotationSelector = m.GetString("annotationSelector") ?? "",
    };

    public bool Matches(Resource r)
    {
        if ((Group.Length > 0 && Group != r.Group) || (Version.Length > 0 && Version != r.Version) || (Kind.Length > 0 && Kind != r.Kind))
        {
            return false;
        }
        if (_namespaceRegex is not null && !_namespaceRegex.IsMatch(Effective(r.OriginalNamespace)) && !_namespaceRegex.IsMatch(Effective(r.Namespace)))
        {
            return false;
        }
        if (_nameRegex is not null && !_nameRegex.IsMatch(r.OriginalName) && !_nameRegex.IsMatch(r.Name))
        {
            return false;
        }
        return MatchesLabels(LabelSelector, r.Node.GetMap("metadata")?.GetMap("labels"))
            && MatchesLabels(AnnotationSelector, r.Node.GetMap("metadata")?.GetMap("annotations"));
    }

    private static string Effective(string ns) => ns.Length == 0 ? "default" : ns;

    private static Regex Anchored(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);

    /// <summary>A Kubernetes label selector string: a=b, a!=b, a in (x,y), a notin (x), a, !a.</summary>
    public static bool MatchesLabels(string selector, YMap? labels)
    {
        if (selector.Trim().Length == 0)
        {
            return true;
        }
        foreach (var requirement in SplitRequirements(selector))
        {
            var req = requirement.Trim();
            string? Get(string key) => labels?[key] is YScalar s ? s.Value : null;
            var m = Regex.Match(req, @"^(\S+)\s+(in|notin)\s+\((.*)\)$");
            if (m.Success)
            {
                var values = m.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet();
                var v = Get(m.Groups[1].Value);
                var inSet = v is not null && values.Contains(v);
                if (m.Groups[2].Value == "in" ? !inSet : inSet)
                {
                    return false;
                }
                continue;
            }
            if (req.Contains("!=", StringComparison.Ordinal))
            {
                var parts = req.Split("!=", 2);
                if (Get(parts[0].Trim()) == parts[1].Trim())
                {
                    return false;
                }
                continue;
            }
            if (req.Contains('='))
            {
                var parts = req.Replace("==", "=", StringComparison.Ordinal).Split('=', 2);
                if (Get(parts[0].Trim()) != parts[1].Trim())
                {
                    return false;
                }
                continue;
            }
            if (req.StartsWith('!'))
            {
                if (Get(req[1..].Trim()) is not null)
                {
                    return false;
                }
                continue;
            }
            if (Get(req) is null)
            {
                return false;
            }
        }
        return true;
    }

    // Commas separate requirements except inside the parentheses of a set.
    private static IEnumerable<string> SplitRequirements(string s)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '(')
            {
                depth++;
            }
            else if (s[i] == ')')
            {
                depth--;
            }
            else if (s[i] == ',' && depth == 0)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }
        yield return s[start..];
    }
}
