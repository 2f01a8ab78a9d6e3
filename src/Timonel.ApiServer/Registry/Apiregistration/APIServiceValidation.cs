using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Apiregistration;

/// <summary>APIServices (kube-aggregator's pkg/apis/apiregistration/validation ValidateAPIService).</summary>
internal static class APIServiceValidation
{
    public static FieldErrorList Validate(JsonObject apiService)
    {
        var errors = new FieldErrorList();
        var spec = apiService.ObjectAt("spec") ?? [];
        var group = spec.Text("group");
        var version = spec.Text("version");
        var name = apiService.StringAt("metadata", "name") ?? "";
        var requiredName = version + "." + group;
        if (name.Length > 0 && name != requiredName)
        {
            // Upstream's name validator for this kind: the name must be version.group.
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("name"), name, $"must be `spec.version+\".\"+spec.group`: {GoValue.Quote(requiredName)}"));
        }

        var specPath = FieldPath.Root("spec");
        if (group.Length == 0 && version != "v1")
        {
            errors.Add(FieldError.Required(specPath.Child("group"), "only v1 may have an empty group and it better be legacy kube"));
        }

        if (group.Length > 0)
        {
            errors.AddDns1123Subdomain(group, specPath.Child("group"));
        }

        errors.AddInvalid(specPath.Child("version"), version, NameValidation.IsDns1035Label(version));
        var groupPriority = spec.LongAt("groupPriorityMinimum") ?? 0;
        if (groupPriority is <= 0 or > 20000)
        {
            errors.Add(FieldError.Invalid(specPath.Child("groupPriorityMinimum"), groupPriority, "must be positive and less than 20000"));
        }

        var versionPriority = spec.LongAt("versionPriority") ?? 0;
        if (versionPriority is <= 0 or > 1000)
        {
            errors.Add(FieldError.Invalid(specPath.Child("versionPriority"), versionPriority, "must be positive and less than 1000"));
        }

        var caBundle = spec.Text("caBundle");
        var insecure = spec.BoolAt("insecureSkipTLSVerify") ?? false;
        if (spec.ObjectAt("service") is not { } service)
        {
            if (caBundle.Length > 0)
            {
                errors.Add(FieldError.Invalid(specPath.Child("caBundle"), $"{Base64Length(caBundle)} bytes", "local APIServices may not have a caBundle"));
            }

            if (insecure)
            {
                errors.Add(FieldError.Invalid(specPath.Child("insecureSkipTLSVerify"), true, "local APIServices may not have insecureSkipTLSVerify"));
            }

            return errors;
        }

        var servicePath = specPath.Child("service");
        if (service.Text("namespace").Length == 0)
        {
            errors.Add(FieldError.Required(servicePath.Child("namespace")));
        }

        if (service.Text("name").Length == 0)
        {
            errors.Add(FieldError.Required(servicePath.Child("name")));
        }

        var port = service.LongAt("port") ?? 0;
        if (NameValidation.IsValidPortNum(port) is { Count: > 0 } portErrors)
        {
            errors.Add(FieldError.Invalid(servicePath.Child("port"), port, "port is not valid: " + string.Join(", ", portErrors)));
        }

        if (insecure && caBundle.Length > 0)
        {
            errors.Add(FieldError.Invalid(specPath.Child("insecureSkipTLSVerify"), true, "may not be true if caBundle is present"));
        }

        return errors;
    }

    private static int Base64Length(string base64) => base64.Length / 4 * 3 - base64.Count(c => c == '=');
}
