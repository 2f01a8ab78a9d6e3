using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Validation;

/// <summary>
/// Small checks the kinds' validators share, each with upstream's wording (k8s.io/kubernetes
/// pkg/apis/core/validation/validation.go and apimachinery's pkg/api/validation).
/// </summary>
internal static class FieldChecks
{
    /// <summary>Upstream's isNotPositiveErrorMsg.</summary>
    public const string NotPositiveMessage = "must be greater than zero";

    /// <summary>Upstream's fieldImmutableErrorMsg.</summary>
    public const string ImmutableMessage = ObjectMetaValidation.FieldImmutableErrorMessage;

    /// <summary>One Invalid error per message, all on <paramref name="path"/> with <paramref name="value"/>.</summary>
    public static void AddInvalid(this FieldErrorList errors, FieldPath path, object? value, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            errors.Add(FieldError.Invalid(path, value, message));
        }
    }

    /// <summary>ValidateDNS1123Label.</summary>
    public static void AddDns1123Label(this FieldErrorList errors, string value, FieldPath path) =>
        errors.AddInvalid(path, value, NameValidation.IsDns1123Label(value));

    /// <summary>ValidateDNS1123Subdomain.</summary>
    public static void AddDns1123Subdomain(this FieldErrorList errors, string value, FieldPath path) =>
        errors.AddInvalid(path, value, NameValidation.IsDns1123Subdomain(value));

    /// <summary>apimachinery's ValidateLabelName: a qualified name (label keys, topology keys, taint keys).</summary>
    public static void AddLabelName(this FieldErrorList errors, string value, FieldPath path) =>
        errors.AddInvalid(path, value, NameValidation.IsQualifiedName(value));

    /// <summary>A required DNS-1123 label: Required when empty, else the format errors.</summary>
    public static void AddRequiredDns1123Label(this FieldErrorList errors, string? value, FieldPath path)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldError.Required(path));
        }
        else
        {
            errors.AddDns1123Label(value, path);
        }
    }

    /// <summary>
    /// An enumerated string field: Required when empty (when <paramref name="required"/>), otherwise Unsupported
    /// unless one of <paramref name="supported"/> (listed in upstream's order).
    /// </summary>
    public static void AddEnum(this FieldErrorList errors, string? value, FieldPath path, IReadOnlyList<string> supported, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(FieldError.Required(path));
            }
        }
        else if (!supported.Contains(value))
        {
            errors.Add(FieldError.NotSupported(path, value, supported));
        }
    }

    /// <summary>ValidateNonnegativeField for an optional number: nothing when absent.</summary>
    public static void AddNonnegative(this FieldErrorList errors, JsonNode? holder, string field, FieldPath path)
    {
        if (holder.LongAt(field) is { } value)
        {
            errors.AddRange(ObjectMetaValidation.ValidateNonnegativeField(value, path));
        }
    }

    /// <summary>
    /// ValidateImmutableField on two JSON values (absent and null compare equal); <paramref name="show"/> renders
    /// the new value as the Go type upstream compares (e.g. <see cref="GoValue.LabelSelector"/>).
    /// </summary>
    public static void AddImmutable(this FieldErrorList errors, JsonNode? newValue, JsonNode? oldValue, FieldPath path, Func<JsonNode?, GoValue>? show = null) =>
        errors.AddRange(ObjectMetaValidation.ValidateImmutableField(newValue, oldValue, path, show));

    /// <summary>ValidatePortNumOrName: a number in 1..65535 or an IANA port name.</summary>
    public static void AddPortNumOrName(this FieldErrorList errors, JsonNode? port, FieldPath path)
    {
        if (port is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.AsLong() ?? 0;
            errors.AddInvalid(path, number, NameValidation.IsValidPortNum(number));
        }
        else
        {
            var name = port is JsonValue text && text.TryGetValue<string>(out var s) ? s : string.Empty;
            errors.AddInvalid(path, name, NameValidation.IsValidPortName(name));
        }
    }

    /// <summary>
    /// apimachinery's ValidateLabelSelector (pkg/apis/meta/v1/validation): matchLabels as labels, each expression's
    /// operator, values and key.
    /// </summary>
    public static void AddLabelSelector(this FieldErrorList errors, JsonObject? selector, FieldPath path)
    {
        if (selector is null)
        {
            return;
        }

        errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(selector, "matchLabels"), path.Child("matchLabels")));
        var index = 0;
        foreach (var expression in selector.ArrayAt("matchExpressions").Objects())
        {
            var expressionPath = path.Child("matchExpressions").Index(index++);
            var values = JsonFields.GetStringList(expression, "values");
            errors.AddSelectorOperator(expression.StringAt("operator") ?? string.Empty, values.Count, expressionPath, numeric: false);
            errors.AddLabelName(expression.StringAt("key") ?? string.Empty, expressionPath.Child("key"));
            for (var i = 0; i < values.Count; i++)
            {
                errors.AddInvalid(expressionPath.Child("values").Index(i), values[i], NameValidation.IsValidLabelValue(values[i]));
            }
        }
    }

    /// <summary>
    /// How a selector requirement's operator and values must agree (label selectors and node selector requirements):
    /// In/NotIn need values, Exists/DoesNotExist take none, and with <paramref name="numeric"/> Gt/Lt take exactly one.
    /// </summary>
    public static void AddSelectorOperator(this FieldErrorList errors, string op, int valueCount, FieldPath path, bool numeric)
    {
        switch (op)
        {
            case "In" or "NotIn":
                if (valueCount == 0)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }

                break;
            case "Exists" or "DoesNotExist":
                if (valueCount > 0)
                {
                    errors.Add(FieldError.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }

                break;
            case "Gt" or "Lt" when numeric:
                if (valueCount != 1)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path.Child("operator"), op, "not a valid selector operator"));
                break;
        }
    }

    /// <summary>
    /// A union of which exactly one member must be set (upstream's validateHandler and validateVolumeSource): the
    /// first set member is checked by <paramref name="validate"/>, each further one is Forbidden with
    /// <paramref name="extraDetail"/>, and none at all is Required with <paramref name="missingDetail"/>.
    /// </summary>
    public static void AddExactlyOne(this FieldErrorList errors, JsonObject holder, IEnumerable<string> members, FieldPath path,
        string extraDetail, string missingDetail, Action<FieldErrorList, string, JsonObject, FieldPath> validate)
    {
        var found = false;
        foreach (var member in members)
        {
            if (holder[member] is not JsonObject value)
            {
                continue;
            }

            if (found)
            {
                errors.Add(FieldError.Forbidden(path.Child(member), extraDetail));
                continue;
            }

            found = true;
            validate(errors, member, value, path.Child(member));
        }

        if (!found)
        {
            errors.Add(FieldError.Required(path, missingDetail));
        }
    }

    /// <summary>Whether a metav1.LabelSelector has no matchLabels and no matchExpressions.</summary>
    public static bool IsEmptySelector(JsonObject selector) =>
        (selector.ObjectAt("matchLabels")?.Count ?? 0) + (selector.ArrayAt("matchExpressions")?.Count ?? 0) == 0;

    /// <summary>The string at <paramref name="field"/>, or "" when absent.</summary>
    public static string Text(this JsonNode? node, string field) => node.StringAt(field) ?? string.Empty;
}
