using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>Upstream's pkg/apis/admissionregistration/v1/defaults.go, shared by webhooks and admission policies.</summary>
public static class AdmissionDefaults
{
    /// <summary>SetDefaults_ValidatingWebhook and SetDefaults_MutatingWebhook (the latter adds reinvocationPolicy Never).</summary>
    public static void Webhook(JsonObject webhook, bool mutating)
    {
        ContainerDefaults.SetIfEmpty(webhook, "failurePolicy", "Fail");
        ContainerDefaults.SetIfEmpty(webhook, "matchPolicy", "Equivalent");
        webhook.SetDefault("namespaceSelector", new JsonObject());
        webhook.SetDefault("objectSelector", new JsonObject());
        webhook.SetDefault("timeoutSeconds", 10);
        if (mutating)
        {
            ContainerDefaults.SetIfEmpty(webhook, "reinvocationPolicy", "Never");
        }

        Rules(webhook.ArrayAt("rules"));
        if (webhook.ObjectAt("clientConfig", "service") is { } service)
        {
            service.SetDefault("port", 443);
        }
    }

    /// <summary>SetDefaults_MatchResources: matchPolicy Equivalent, empty selectors, rules of any scope.</summary>
    public static void MatchResources(JsonObject? match)
    {
        if (match is null)
        {
            return;
        }

        ContainerDefaults.SetIfEmpty(match, "matchPolicy", "Equivalent");
        match.SetDefault("namespaceSelector", new JsonObject());
        match.SetDefault("objectSelector", new JsonObject());
        Rules(match.ArrayAt("resourceRules"));
        Rules(match.ArrayAt("excludeResourceRules"));
    }

    /// <summary>SetDefaults_Rule: scope "*".</summary>
    private static void Rules(JsonArray? rules)
    {
        foreach (var rule in rules.Objects())
        {
            ContainerDefaults.SetIfEmpty(rule, "scope", "*");
        }
    }
}
