using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectRulesReview (<c>kubectl auth can-i --list</c>): the rules the caller holds in
/// spec.namespace, as the authorizers can list them (pkg/registry/authorization/selfsubjectrulesreview). As upstream,
/// the answer is a new object: only status is filled in.
/// </summary>
internal sealed class SelfSubjectRulesReviewResource(IRuleResolver rules) : ICreateOnlyResource
{
    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(body, ns, user));

    private JsonObject Answer(JsonObject body, string? ns, UserInfo user)
    {
        var reviewNamespace = body.StringAt("spec", "namespace");
        if (string.IsNullOrEmpty(reviewNamespace))
        {
            // selfsubjectrulesreview/rest.go's text.
            throw StatusException.BadRequest("no namespace on request");
        }

        var held = rules.RulesFor(user, reviewNamespace);
        return new JsonObject
        {
            ["kind"] = body["kind"]?.DeepClone(),
            ["apiVersion"] = body["apiVersion"]?.DeepClone(),
            ["metadata"] = new JsonObject(),
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["resourceRules"] = new JsonArray([.. held.ResourceRules.Select(r => (JsonNode)ToJson(r))]),
                ["nonResourceRules"] = new JsonArray([.. held.NonResourceRules.Select(r => (JsonNode)ToJson(r))]),
                ["incomplete"] = held.Incomplete,
            },
        };
    }

    // authorizationv1.ResourceRule / NonResourceRule: verbs always, the other lists omitted when empty.
    private static JsonObject ToJson(ResourceRule rule)
    {
        var json = new JsonObject { ["verbs"] = Strings(rule.Verbs) };
        AddIfAny(json, "apiGroups", rule.ApiGroups);
        AddIfAny(json, "resources", rule.Resources);
        AddIfAny(json, "resourceNames", rule.ResourceNames);
        return json;
    }

    private static JsonObject ToJson(NonResourceRule rule)
    {
        var json = new JsonObject { ["verbs"] = Strings(rule.Verbs) };
        AddIfAny(json, "nonResourceURLs", rule.NonResourceUrls);
        return json;
    }

    private static void AddIfAny(JsonObject json, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            json[name] = Strings(values);
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
