using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>upstream's validateRuleWithOperations and validateRule (pkg/apis/admissionregistration/validation).</summary>
internal static class AdmissionRuleChecks
{
    private static readonly string[] _operations = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
    private static readonly string[] _scopes = ["*", "Cluster", "Namespaced"];

    public static void AddRuleWithOperations(FieldErrorList errors, JsonObject rule, FieldPath path)
    {
        var operations = JsonFields.GetStringList(rule, "operations");
        if (operations.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("operations")));
        }

        if (operations.Count > 1 && operations.Contains("*"))
        {
            errors.Add(FieldError.Invalid(path.Child("operations"), GoValue.Strings(operations), "if '*' is present, must not specify other operations"));
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (!_operations.Contains(operations[i]))
            {
                errors.Add(FieldError.NotSupported(path.Child("operations").Index(i), operations[i], _operations));
            }
        }

        foreach (var (field, noun) in new[] { ("apiGroups", "API groups"), ("apiVersions", "API versions"), ("resources", "") })
        {
            var values = JsonFields.GetStringList(rule, field);
            if (values.Count == 0)
            {
                errors.Add(FieldError.Required(path.Child(field)));
            }
            else if (noun.Length > 0 && values.Count > 1 && values.Contains("*"))
            {
                errors.Add(FieldError.Invalid(path.Child(field), GoValue.Strings(values), "if '*' is present, must not specify other " + noun));
            }
        }

        errors.AddEnum(rule.StringAt("scope"), path.Child("scope"), _scopes, required: false);
    }
}
