using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;

namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// One rule of a Role or ClusterRole (rbacv1.PolicyRule): verbs on resources of API groups (optionally only the named
/// objects), or verbs on non-resource URLs. Matched as upstream's rbac.RuleAllows (plugin/pkg/auth/authorizer/rbac).
/// </summary>
public sealed class PolicyRule
{
    public PolicyRule(IReadOnlyList<string> verbs, IReadOnlyList<string> apiGroups, IReadOnlyList<string> resources, IReadOnlyList<string>? resourceNames = null, IReadOnlyList<string>? nonResourceUrls = null)
    {
        Verbs = verbs;
        ApiGroups = apiGroups;
        Resources = resources;
        ResourceNames = resourceNames ?? [];
        NonResourceUrls = nonResourceUrls ?? [];
    }

    public IReadOnlyList<string> Verbs { get; }

    public IReadOnlyList<string> ApiGroups { get; }

    public IReadOnlyList<string> Resources { get; }

    public IReadOnlyList<string> ResourceNames { get; }

    public IReadOnlyList<string> NonResourceUrls { get; }

    public static PolicyRule Urls(IReadOnlyList<string> verbs, IReadOnlyList<string> urls) => new(verbs, [], [], [], urls);

    public static PolicyRule FromJson(JsonObject rule) => new(
        JsonFields.GetStringList(rule, "verbs"),
        JsonFields.GetStringList(rule, "apiGroups"),
        JsonFields.GetStringList(rule, "resources"),
        JsonFields.GetStringList(rule, "resourceNames"),
        JsonFields.GetStringList(rule, "nonResourceURLs"));

    public static IReadOnlyList<PolicyRule> ListFromJson(JsonObject role) =>
        role["rules"] is JsonArray rules ? [.. rules.OfType<JsonObject>().Select(FromJson)] : [];

    /// <summary>The rule as stored, fields in rbacv1.PolicyRule's order, empty lists left out.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        Add(json, "verbs", Verbs, always: true);
        Add(json, "apiGroups", ApiGroups);
        Add(json, "resources", Resources);
        Add(json, "resourceNames", ResourceNames);
        Add(json, "nonResourceURLs", NonResourceUrls);
        return json;
    }

    /// <summary>Upstream's RuleAllows: resource requests by verb, group, resource (with "*" and "*/subresource") and name; others by URL.</summary>
    public bool Allows(RequestAttributes request)
    {
        if (!Has(Verbs, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => UrlMatches(url, request.Path));
        }

        return Has(ApiGroups, request.Group)
            && ResourceMatches(request.Resource, request.Subresource)
            && (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name ?? "", StringComparer.Ordinal));
    }

    /// <summary>
    /// The rule as SelfSubjectRulesReview lists it (upstream's convertToRulesReview): a resource part when it names
    /// resources, a non-resource part when it names URLs.
    /// </summary>
    public ResourceRule? AsResourceRule() => Resources.Count > 0 ? new ResourceRule(Verbs, ApiGroups, Resources, ResourceNames) : null;

    public NonResourceRule? AsNonResourceRule() => NonResourceUrls.Count > 0 ? new NonResourceRule(Verbs, NonResourceUrls) : null;

    public bool SameAs(PolicyRule other) =>
        Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources)
        && ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    /// <summary>rbacv1helpers.CompactString: {APIGroups:[""], Resources:["secrets"], Verbs:["get"]}, Go's %q of each list.</summary>
    public string CompactString()
    {
        var parts = new List<string>();
        Part(parts, "APIGroups", ApiGroups);
        Part(parts, "Resources", Resources);
        Part(parts, "NonResourceURLs", NonResourceUrls);
        Part(parts, "ResourceNames", ResourceNames);
        Part(parts, "Verbs", Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    public override string ToString() => CompactString();

    internal static bool Has(IReadOnlyList<string> allowed, string value)
    {
        foreach (var a in allowed)
        {
            if (a == "*" || a == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>NonResourceURLMatches: "*", the path itself, or a prefix ending in "*".</summary>
    internal static bool UrlMatches(string rule, string path) =>
        rule == "*" || rule == path || (rule.EndsWith('*') && path.StartsWith(rule[..^1], StringComparison.Ordinal));

    /// <summary>Go's %q of a []string: ["a" "b"].</summary>
    internal static string GoQuoted(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoValue.Quote)) + "]";

    // ResourceMatches: "*", the combined "resource/subresource", or "*/subresource" for any resource's subresource.
    private bool ResourceMatches(string resource, string? subresource)
    {
        var combined = string.IsNullOrEmpty(subresource) ? resource : resource + "/" + subresource;
        foreach (var r in Resources)
        {
            if (r == "*" || r == combined)
            {
                return true;
            }

            if (!string.IsNullOrEmpty(subresource) && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(JsonObject json, string name, IReadOnlyList<string> values, bool always = false)
    {
        if (values.Count > 0 || always)
        {
            json[name] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
        }
    }

    private static void Part(List<string> parts, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add($"{name}:{GoQuoted(values)}");
        }
    }
}
