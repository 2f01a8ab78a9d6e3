using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>
/// Webhook configurations (upstream's pkg/apis/admissionregistration/validation validateValidatingWebhook and
/// validateMutatingWebhook): unique fully qualified names, rules, policies, side effects, timeout, review versions,
/// selectors and the client config.
/// </summary>
internal static class WebhookValidation
{
    private static readonly string[] _failurePolicies = ["Fail", "Ignore"];
    private static readonly string[] _matchPolicies = ["Equivalent", "Exact"];
    private static readonly string[] _sideEffects = ["None", "NoneOnDryRun"];
    private static readonly string[] _reinvocationPolicies = ["IfNeeded", "Never"];

    /// <summary>The AdmissionReview versions this API server could send (v1, v1beta1).</summary>
    private static readonly string[] _reviewVersions = ["v1", "v1beta1"];

    public static FieldErrorList Validate(JsonObject configuration, bool mutating)
    {
        var errors = new FieldErrorList();
        var names = new HashSet<string>();
        var index = 0;
        foreach (var webhook in configuration.ArrayAt("webhooks").Objects())
        {
            var path = FieldPath.Root("webhooks").Index(index++);
            var name = webhook.Text("name");
            AddFullyQualifiedName(errors, name, path.Child("name"));
            if (name.Length > 0 && !names.Add(name))
            {
                errors.Add(FieldError.Duplicate(path.Child("name"), name));
            }

            ValidateWebhook(errors, webhook, path, mutating);
        }

        return errors;
    }

    private static void ValidateWebhook(FieldErrorList errors, JsonObject webhook, FieldPath path, bool mutating)
    {
        var ruleIndex = 0;
        foreach (var rule in webhook.ArrayAt("rules").Objects())
        {
            AdmissionRuleChecks.AddRuleWithOperations(errors, rule, path.Child("rules").Index(ruleIndex++));
        }

        errors.AddEnum(webhook.StringAt("failurePolicy"), path.Child("failurePolicy"), _failurePolicies, required: false);
        errors.AddEnum(webhook.StringAt("matchPolicy"), path.Child("matchPolicy"), _matchPolicies, required: false);
        var sideEffects = webhook.StringAt("sideEffects");
        if (string.IsNullOrEmpty(sideEffects))
        {
            errors.Add(FieldError.Required(path.Child("sideEffects"), "must specify one of " + string.Join(", ", _sideEffects)));
        }
        else if (!_sideEffects.Contains(sideEffects))
        {
            errors.Add(FieldError.NotSupported(path.Child("sideEffects"), sideEffects, _sideEffects));
        }

        if (webhook.LongAt("timeoutSeconds") is { } timeout and (> 30 or < 1))
        {
            errors.Add(FieldError.Invalid(path.Child("timeoutSeconds"), timeout, "the timeout value must be between 1 and 30 seconds"));
        }

        AddReviewVersions(errors, JsonFields.GetStringList(webhook, "admissionReviewVersions"), path.Child("admissionReviewVersions"));
        errors.AddLabelSelector(webhook.ObjectAt("namespaceSelector"), path.Child("namespaceSelector"));
        errors.AddLabelSelector(webhook.ObjectAt("objectSelector"), path.Child("objectSelector"));
        if (mutating)
        {
            errors.AddEnum(webhook.StringAt("reinvocationPolicy"), path.Child("reinvocationPolicy"), _reinvocationPolicies, required: false);
        }

        AddClientConfig(errors, webhook.ObjectAt("clientConfig"), path.Child("clientConfig"));
    }

    /// <summary>utilvalidation.IsFullyQualifiedName: a DNS subdomain of at least three segments.</summary>
    private static void AddFullyQualifiedName(FieldErrorList errors, string name, FieldPath path)
    {
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (NameValidation.IsDns1123Subdomain(trimmed) is { Count: > 0 } problems)
        {
            errors.Add(FieldError.Invalid(path, trimmed, string.Join(",", problems)));
        }
        else if (trimmed.Split('.').Length < 3)
        {
            errors.Add(FieldError.Invalid(path, trimmed, "should be a domain with at least three segments separated by dots"));
        }
    }

    private static void AddReviewVersions(FieldErrorList errors, IReadOnlyList<string> versions, FieldPath path)
    {
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify one of " + string.Join(", ", _reviewVersions)));
            return;
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < versions.Count; i++)
        {
            if (!seen.Add(versions[i]))
            {
                errors.Add(FieldError.Invalid(path.Index(i), versions[i], "duplicate version"));
            }
        }

        if (!versions.Any(_reviewVersions.Contains))
        {
            errors.Add(FieldError.Invalid(path, GoValue.Strings(versions), "must include at least one of " + string.Join(", ", _reviewVersions)));
        }
    }

    /// <summary>ValidateWebhookClientConfig: exactly one of an https URL or a service reference.</summary>
    private static void AddClientConfig(FieldErrorList errors, JsonObject? clientConfig, FieldPath path)
    {
        var url = clientConfig?.StringAt("url");
        var service = clientConfig?.ObjectAt("service");
        if ((url is null) == (service is null))
        {
            errors.Add(FieldError.Required(path, "exactly one of url or service is required"));
            return;
        }

        if (url is not null)
        {
            AddUrl(errors, url, path.Child("url"));
            return;
        }

        var servicePath = path.Child("service");
        if (service.Text("name").Length == 0)
        {
            errors.Add(FieldError.Required(servicePath.Child("name"), "service name is required"));
        }

        if (service.Text("namespace").Length == 0)
        {
            errors.Add(FieldError.Required(servicePath.Child("namespace"), "service namespace is required"));
        }

        if (service.LongAt("port") is { } port && NameValidation.IsValidPortNum(port) is { Count: > 0 } problems)
        {
            errors.Add(FieldError.Invalid(servicePath.Child("port"), port, "port is not valid: " + string.Join(", ", problems)));
        }

        if (service.StringAt("path") is { } servicePathValue && !servicePathValue.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(servicePath.Child("path"), servicePathValue, "must start with a '/'"));
        }
    }

    /// <summary>webhook.ValidateWebhookURL with forceHttps: an https URL with a host, no user info, query or fragment.</summary>
    private static void AddUrl(FieldErrorList errors, string url, FieldPath path)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            errors.Add(FieldError.Required(path, "url must be a valid URL"));
            return;
        }

        if (uri.Scheme != "https")
        {
            errors.Add(FieldError.Invalid(path, uri.Scheme, "'https' is the only allowed URL scheme"));
        }

        if (uri.Host.Length == 0)
        {
            errors.Add(FieldError.Invalid(path, uri.Host, "host must be specified"));
        }

        if (uri.UserInfo.Length > 0)
        {
            errors.Add(FieldError.Invalid(path, uri.UserInfo, "user information is not permitted in the URL"));
        }

        if (uri.Fragment.Length > 0)
        {
            errors.Add(FieldError.Invalid(path, uri.Fragment.TrimStart('#'), "fragments are not permitted in the URL"));
        }

        if (uri.Query.Length > 0)
        {
            errors.Add(FieldError.Invalid(path, uri.Query.TrimStart('?'), "query parameters are not permitted in the URL"));
        }
    }
}
