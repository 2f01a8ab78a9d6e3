using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// An audit Policy (audit.k8s.io/v1, the file --audit-policy-file names): rules tried in order, the first that matches
/// a request gives its level; no match is level None (apiserver/pkg/audit/policy/checker.go).
/// </summary>
public sealed class AuditPolicy
{
    private const string ApiVersion = "audit.k8s.io/v1";

    public AuditPolicy(IReadOnlyList<AuditPolicyRule> rules, IReadOnlyList<AuditStage>? omitStages = null, bool omitManagedFields = false)
    {
        Rules = rules;
        OmitStages = omitStages ?? [];
        OmitManagedFields = omitManagedFields;
    }

    public IReadOnlyList<AuditPolicyRule> Rules { get; }

    /// <summary>Stages no rule writes: added to every rule's own.</summary>
    public IReadOnlyList<AuditStage> OmitStages { get; }

    public bool OmitManagedFields { get; }

    public static AuditPolicy Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"failed to read file path \"{path}\": {e.Message}", e);
        }

        var policy = Parse(text);
        // Upstream refuses a policy that could never log anything (policy/reader.go LoadPolicyFromBytes).
        return policy.Rules.Count > 0 ? policy : throw new InvalidDataException($"loaded illegal policy with 0 rules from file {path}");
    }

    /// <summary>Reads a Policy from YAML or JSON; throws InvalidDataException with what is wrong.</summary>
    public static AuditPolicy Parse(string yaml)
    {
        JsonObject document;
        try
        {
            document = YamlConverter.ToJson(yaml) as JsonObject ?? throw new InvalidDataException("audit policy: not an object");
        }
        catch (YamlConversionException e)
        {
            throw new InvalidDataException($"audit policy: {e.Message}", e);
        }

        var apiVersion = Text(document, "apiVersion");
        var kind = Text(document, "kind");
        if (apiVersion != ApiVersion || kind != "Policy")
        {
            throw new InvalidDataException($"audit policy: expected apiVersion {ApiVersion} and kind Policy, got \"{apiVersion}\" \"{kind}\"");
        }

        var rules = new List<AuditPolicyRule>();
        var index = 0;
        foreach (var node in Array(document, "rules"))
        {
            var path = $"rules[{index++}]";
            if (node is not JsonObject rule)
            {
                throw new InvalidDataException($"audit policy: {path}: not an object");
            }

            rules.Add(ParseRule(rule, path));
        }

        return new AuditPolicy(rules, Stages(document, "omitStages", "omitStages"), document["omitManagedFields"]?.GetValue<bool>() ?? false);
    }

    /// <summary>The level and stages for one request; <paramref name="user"/> is null for a request no authenticator accepted.</summary>
    public AuditDecision Evaluate(UserInfo? user, RequestAttributes attributes)
    {
        foreach (var rule in Rules)
        {
            if (Matches(rule, user, attributes))
            {
                var omit = new HashSet<AuditStage>(OmitStages);
                omit.UnionWith(rule.OmitStages);
                return new AuditDecision(rule.Level, omit, rule.OmitManagedFields ?? OmitManagedFields);
            }
        }

        return new AuditDecision(AuditLevel.None, new HashSet<AuditStage>(OmitStages), OmitManagedFields);
    }

    // checker.go ruleMatches: each list a rule sets must match; resources and namespaces only match resource requests,
    // nonResourceURLs only non-resource ones.
    private static bool Matches(AuditPolicyRule rule, UserInfo? user, RequestAttributes attributes)
    {
        if (rule.Users.Count > 0 && (user is null || !rule.Users.Contains(user.Name)))
        {
            return false;
        }

        if (rule.UserGroups.Count > 0 && (user is null || !user.Groups.Any(rule.UserGroups.Contains)))
        {
            return false;
        }

        if (rule.Verbs.Count > 0 && !rule.Verbs.Contains(attributes.Verb))
        {
            return false;
        }

        if (rule.Namespaces.Count > 0 || rule.Resources.Count > 0)
        {
            return MatchesResource(rule, attributes);
        }

        return rule.NonResourceUrls.Count == 0 || (!attributes.IsResourceRequest && rule.NonResourceUrls.Any(spec => PathMatches(attributes.Path, spec)));
    }

    private static bool MatchesResource(AuditPolicyRule rule, RequestAttributes attributes)
    {
        if (!attributes.IsResourceRequest)
        {
            return false;
        }

        if (rule.Namespaces.Count > 0 && !rule.Namespaces.Contains(attributes.Namespace ?? ""))
        {
            return false;
        }

        if (rule.Resources.Count == 0)
        {
            return true;
        }

        var subresource = attributes.Subresource ?? "";
        var combined = subresource.Length > 0 ? $"{attributes.Resource}/{subresource}" : attributes.Resource;
        foreach (var groupResources in rule.Resources.Where(g => g.Group == attributes.Group))
        {
            if (groupResources.Resources.Count == 0)
            {
                return true;
            }

            if (groupResources.ResourceNames.Count > 0 && !groupResources.ResourceNames.Contains(attributes.Name ?? ""))
            {
                continue;
            }

            foreach (var resource in groupResources.Resources)
            {
                if (resource == combined || resource == "*"
                    || (subresource.Length > 0 && resource.StartsWith("*/", StringComparison.Ordinal) && resource[2..] == subresource)
                    || (resource.EndsWith("/*", StringComparison.Ordinal) && resource[..^2] == attributes.Resource))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // checker.go pathMatches: "*", the exact path, or a prefix ending in "*".
    private static bool PathMatches(string path, string spec) =>
        spec == "*" || spec == path || (spec.EndsWith('*') && path.StartsWith(spec.TrimEnd('*'), StringComparison.Ordinal));

    private static AuditPolicyRule ParseRule(JsonObject rule, string path)
    {
        var levelText = Text(rule, "level");
        if (string.IsNullOrEmpty(levelText))
        {
            throw new InvalidDataException($"audit policy: {path}.level: Required value");
        }

        if (!Enum.TryParse<AuditLevel>(levelText, ignoreCase: false, out var level) || !Enum.IsDefined(level) || char.IsAsciiDigit(levelText[0]))
        {
            throw new InvalidDataException($"audit policy: {path}.level: Unsupported value: \"{levelText}\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\"");
        }

        var resources = new List<AuditGroupResources>();
        foreach (var node in Array(rule, "resources"))
        {
            if (node is not JsonObject groupResources)
            {
                throw new InvalidDataException($"audit policy: {path}.resources: not an object");
            }

            resources.Add(new AuditGroupResources(Text(groupResources, "group") ?? "", Strings(groupResources, "resources"), Strings(groupResources, "resourceNames")));
        }

        var nonResourceUrls = Strings(rule, "nonResourceURLs");
        if (nonResourceUrls.Count > 0 && (resources.Count > 0 || Strings(rule, "namespaces").Count > 0))
        {
            // validation.go validateResources: a rule is about resources or about paths, not both.
            throw new InvalidDataException($"audit policy: {path}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs");
        }

        return new AuditPolicyRule(level)
        {
            Users = Strings(rule, "users"),
            UserGroups = Strings(rule, "userGroups"),
            Verbs = Strings(rule, "verbs"),
            Resources = resources,
            Namespaces = Strings(rule, "namespaces"),
            NonResourceUrls = nonResourceUrls,
            OmitStages = Stages(rule, "omitStages", $"{path}.omitStages"),
            OmitManagedFields = rule["omitManagedFields"]?.GetValue<bool>(),
        };
    }

    private static List<AuditStage> Stages(JsonObject owner, string field, string path) =>
        Strings(owner, field).Select(s => Enum.TryParse<AuditStage>(s, ignoreCase: false, out var stage) && Enum.IsDefined(stage) && !char.IsAsciiDigit(s[0])
            ? stage
            : throw new InvalidDataException($"audit policy: {path}: Unsupported value: \"{s}\": supported values: \"RequestReceived\", \"ResponseStarted\", \"ResponseComplete\", \"Panic\"")).ToList();

    private static string? Text(JsonObject owner, string field) => owner[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonArray Array(JsonObject owner, string field) => owner[field] switch
    {
        null => [],
        JsonArray array => array,
        _ => throw new InvalidDataException($"audit policy: {field}: expected a list"),
    };

    private static List<string> Strings(JsonObject owner, string field) =>
        Array(owner, field).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidDataException($"audit policy: {field}: expected strings")).ToList();
}
