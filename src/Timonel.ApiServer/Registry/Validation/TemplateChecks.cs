using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Selectors;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Validation;

/// <summary>What controllers with a selector and a pod template share (apps and batch validation).</summary>
internal static class TemplateChecks
{
    /// <summary>Upstream's message when the template's labels escape the selector.</summary>
    public const string SelectorMismatchMessage = "`selector` does not match template `labels`";

    /// <summary>
    /// A required, strictly valid, non-empty selector (<paramref name="kindName"/> names the kind in upstream's
    /// "empty selector is invalid for ..." message).
    /// </summary>
    public static void AddRequiredSelector(this FieldErrorList errors, JsonObject spec, FieldPath path, string kindName)
    {
        if (spec["selector"] is not JsonObject selector)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        errors.AddLabelSelector(selector, path);
        if (FieldChecks.IsEmptySelector(selector))
        {
            errors.Add(FieldError.Invalid(path, GoValue.LabelSelector(selector), "empty selector is invalid for " + kindName));
        }
    }

    /// <summary>
    /// The template's labels must match the selector (skipped for an empty selector when <paramref name="skipEmpty"/>,
    /// as ValidatePodTemplateSpecForReplicaSet does); a selector that does not convert is "invalid label selector".
    /// Returns false when the selector does not convert.
    /// </summary>
    public static bool AddTemplateMatch(this FieldErrorList errors, JsonObject spec, FieldPath specPath, string invalidSelectorDetail, bool skipEmpty = true)
    {
        LabelSelector selector;
        try
        {
            selector = LabelSelector.FromLabelSelectorJson(spec["selector"]);
        }
        catch (Exception e) when (e is SelectorParseException or ArgumentException)
        {
            errors.Add(FieldError.Invalid(specPath.Child("selector"), GoValue.LabelSelector(spec["selector"]), invalidSelectorDetail));
            return false;
        }

        var labels = JsonFields.GetStringMap(spec.ObjectAt("template", "metadata"), "labels");
        if (!(skipEmpty && selector.IsEmpty) && !selector.Matches(labels))
        {
            // template.Labels, a map[string]string (nil when the template has none).
            errors.Add(FieldError.Invalid(specPath.Child("template", "metadata", "labels"), GoValue.StringMap(spec.ObjectAt("template", "metadata", "labels")), SelectorMismatchMessage));
        }

        return true;
    }

    /// <summary>The template's restartPolicy must be one of <paramref name="allowed"/>.</summary>
    public static void AddTemplateRestartPolicy(this FieldErrorList errors, JsonObject spec, FieldPath specPath, params string[] allowed)
    {
        var policy = spec.StringAt("template", "spec", "restartPolicy") ?? string.Empty;
        if (!allowed.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(specPath.Child("template", "spec", "restartPolicy"), policy, allowed));
        }
    }
}
