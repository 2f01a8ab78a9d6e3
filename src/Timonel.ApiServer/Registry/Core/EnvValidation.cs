using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>A container's env and envFrom (upstream's ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom).</summary>
internal static partial class EnvValidation
{
    // validEnvDownwardAPIFieldPathExpressions, listed sorted as sets.List does.
    private static readonly string[] _downwardApiFieldPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    // The paths ConvertDownwardAPIFieldLabel accepts for v1.
    private static readonly string[] _convertibleFieldPaths =
    [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
        "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP",
        "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    private static readonly string[] _resourceFieldPaths =
    [
        "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory",
    ];

    public static void ValidateEnv(FieldErrorList errors, JsonArray? env, FieldPath path)
    {
        var index = 0;
        foreach (var variable in env.Objects())
        {
            var itemPath = path.Index(index++);
            var name = variable.Text("name");
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("name")));
            }
            else
            {
                errors.AddInvalid(itemPath.Child("name"), name, RelaxedEnvVarName(name));
            }

            if (variable.ObjectAt("valueFrom") is { } valueFrom)
            {
                ValidateValueFrom(errors, valueFrom, variable.Text("value"), itemPath.Child("valueFrom"));
            }
        }
    }

    public static void ValidateEnvFrom(FieldErrorList errors, JsonArray? envFrom, FieldPath path)
    {
        var index = 0;
        foreach (var source in envFrom.Objects())
        {
            var itemPath = path.Index(index++);
            var prefix = source.Text("prefix");
            if (prefix.Length > 0)
            {
                errors.AddInvalid(itemPath.Child("prefix"), prefix, RelaxedEnvVarName(prefix));
            }

            var sources = 0;
            foreach (var kind in new[] { "configMapRef", "secretRef" })
            {
                if (source.ObjectAt(kind) is { } reference)
                {
                    sources++;
                    var name = reference.Text("name");
                    if (name.Length == 0)
                    {
                        errors.Add(FieldError.Required(itemPath.Child(kind, "name")));
                    }
                    else
                    {
                        errors.AddInvalid(itemPath.Child(kind, "name"), name, NameValidation.NameIsDnsSubdomain(name, true));
                    }
                }
            }

            // Upstream reports these on the envFrom list itself.
            if (sources == 0)
            {
                errors.Add(FieldError.Invalid(path, string.Empty, "must specify one of: `configMapRef` or `secretRef`"));
            }
            else if (sources > 1)
            {
                errors.Add(FieldError.Invalid(path, string.Empty, "may not have more than one field specified at a time"));
            }
        }
    }

    /// <summary>
    /// IsRelaxedEnvVarName: RelaxedEnvironmentVariableValidation is beta and on by default in Kubernetes 1.32
    /// (pkg/features/versioned_kube_features.go), so any printable ASCII but '=' is allowed.
    /// </summary>
    private static List<string> RelaxedEnvVarName(string value)
    {
        var problems = new List<string>();
        if (!RelaxedEnvVarNameRegex().IsMatch(value))
        {
            problems.Add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        }

        if (value is "." or ".." || value.StartsWith("..", StringComparison.Ordinal))
        {
            problems.Add(value switch { "." => "must not be '.'", ".." => "must not be '..'", _ => "must not start with '..'" });
        }

        return problems;
    }

    private static void ValidateValueFrom(FieldErrorList errors, JsonObject valueFrom, string value, FieldPath path)
    {
        var sources = 0;
        if (valueFrom.ObjectAt("fieldRef") is { } fieldRef)
        {
            sources++;
            ValidateFieldRef(errors, fieldRef, path.Child("fieldRef"));
        }

        if (valueFrom.ObjectAt("resourceFieldRef") is { } resourceFieldRef)
        {
            sources++;
            var resource = resourceFieldRef.Text("resource");
            if (resource.Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("resourceFieldRef", "resource")));
            }
            else if (!_resourceFieldPaths.Contains(resource) && !resource.StartsWith("limits.hugepages-", StringComparison.Ordinal)
                && !resource.StartsWith("requests.hugepages-", StringComparison.Ordinal))
            {
                errors.Add(FieldError.NotSupported(path.Child("resourceFieldRef", "resource"), resource, _resourceFieldPaths));
            }
        }

        foreach (var kind in new[] { "configMapKeyRef", "secretKeyRef" })
        {
            if (valueFrom.ObjectAt(kind) is { } keyRef)
            {
                sources++;
                ValidateKeySelector(errors, keyRef, path.Child(kind));
            }
        }

        if (sources == 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (value.Length != 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not be specified when `value` is not empty"));
        }
        else if (sources > 1)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not have more than one field specified at a time"));
        }
    }

    /// <summary>validateObjectFieldSelector for env: apiVersion and fieldPath required, a supported path or a label/annotation subscript.</summary>
    private static void ValidateFieldRef(FieldErrorList errors, JsonObject fieldRef, FieldPath path)
    {
        if (fieldRef.Text("apiVersion").Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("apiVersion")));
            return;
        }

        var fieldPath = fieldRef.Text("fieldPath");
        if (fieldPath.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("fieldPath")));
            return;
        }

        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        if (open > 0 && fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            var basePath = fieldPath[..open];
            var subscript = fieldPath[(open + 2)..^2];
            switch (basePath)
            {
                case "metadata.annotations":
                    errors.AddInvalid(path, subscript.ToLowerInvariant(), NameValidation.IsQualifiedName(subscript.ToLowerInvariant()));
                    break;
                case "metadata.labels":
                    errors.AddInvalid(path, subscript, NameValidation.IsQualifiedName(subscript));
                    break;
                default:
                    errors.Add(FieldError.Invalid(path, basePath, "does not support subscript"));
                    break;
            }
        }
        else if (!_convertibleFieldPaths.Contains(fieldPath))
        {
            // ConvertDownwardAPIFieldLabel (pkg/apis/core/pods/helpers.go) fails first for paths it does not know.
            errors.Add(FieldError.Invalid(path.Child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported: " + fieldPath));
        }
        else if (!_downwardApiFieldPaths.Contains(fieldPath))
        {
            errors.Add(FieldError.NotSupported(path.Child("fieldPath"), fieldPath, _downwardApiFieldPaths));
        }
    }

    /// <summary>validateConfigMapKeySelector / validateSecretKeySelector: a DNS subdomain name and a config key.</summary>
    private static void ValidateKeySelector(FieldErrorList errors, JsonObject selector, FieldPath path)
    {
        var name = selector.Text("name");
        errors.AddInvalid(path.Child("name"), name, NameValidation.NameIsDnsSubdomain(name, false));
        var key = selector.Text("key");
        if (key.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("key")));
        }
        else
        {
            errors.AddInvalid(path.Child("key"), key, NameValidation.IsConfigMapKey(key));
        }
    }

    // relaxedEnvVarNameFmt in apimachinery's pkg/util/validation: printable ASCII except '='.
    [GeneratedRegex("^[ -<>-~]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RelaxedEnvVarNameRegex();
}
