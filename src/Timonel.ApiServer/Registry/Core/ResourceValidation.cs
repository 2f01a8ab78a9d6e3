using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.Api.Validation;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// A container's resources (upstream's validateResourceRequirements with validateContainerResourceName): names,
/// non-negative quantities, whole numbers for extended resources, and requests within limits.
/// </summary>
internal static class ResourceValidation
{
    // helper.IsStandardContainerResourceName (plus the hugepages- prefix, checked apart).
    private static readonly HashSet<string> _containerResources = ["cpu", "memory", "ephemeral-storage"];

    // helper.IsStandardResourceName: the standard container resources and the quota ones.
    private static readonly HashSet<string> _standardResources =
    [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
        "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
        "configmaps", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers",
    ];

    public static void ValidateRequirements(FieldErrorList errors, JsonObject? resources, FieldPath path)
    {
        var limitsPath = path.Child("limits");
        var requestsPath = path.Child("requests");
        var limits = Quantities(errors, resources?["limits"] as JsonObject, limitsPath);
        var requests = Quantities(errors, resources?["requests"] as JsonObject, requestsPath);
        foreach (var (name, request) in requests)
        {
            var limit = limits.FirstOrDefault(l => l.Key == name).Value;
            if (limit is not null)
            {
                if (request != limit && !IsOvercommitAllowed(name))
                {
                    errors.Add(FieldError.Invalid(requestsPath, request.ToString(), $"must be equal to {name} limit of {limit}"));
                }
                else if (request > limit)
                {
                    errors.Add(FieldError.Invalid(requestsPath, request.ToString(), $"must be less than or equal to {name} limit of {limit}"));
                }
            }
            else if (!IsOvercommitAllowed(name))
            {
                errors.Add(FieldError.Required(limitsPath, "Limit must be set for non overcommitable resources"));
            }
        }
    }

    /// <summary>Checks each name and quantity of a resource list; returns those that parsed, in order.</summary>
    private static List<KeyValuePair<string, Quantity>> Quantities(FieldErrorList errors, JsonObject? list, FieldPath path) =>
        QuantityList(errors, list, path).ToList();

    /// <summary>The quantity at <paramref name="node"/>, or null when absent or unparsable (then an error says why).</summary>
    public static Quantity? ParseQuantity(FieldErrorList errors, JsonNode? node, FieldPath path)
    {
        try
        {
            return Quantity.FromJson(node);
        }
        catch (QuantityFormatException e)
        {
            // Upstream fails such a body while decoding; here it becomes a field error with the same text.
            errors.Add(FieldError.Invalid(path, node?.ToString(), e.Message));
            return null;
        }
    }

    private static IEnumerable<KeyValuePair<string, Quantity>> QuantityList(FieldErrorList errors, JsonObject? list, FieldPath path)
    {
        foreach (var (name, node) in list ?? [])
        {
            var itemPath = path.Key(name);
            ValidateName(errors, name, itemPath);
            if (ParseQuantity(errors, node, itemPath) is not { } quantity)
            {
                continue;
            }

            if (quantity.Sign < 0)
            {
                errors.Add(FieldError.Invalid(itemPath, quantity.ToString(), ObjectMetaValidation.IsNegativeErrorMessage));
            }

            if (IsExtended(name) && quantity.MilliValue % 1000 != 0)
            {
                errors.Add(FieldError.Invalid(itemPath, quantity.ToString(), "must be an integer"));
            }

            yield return KeyValuePair.Create(name, quantity);
        }
    }

    private static void ValidateName(FieldErrorList errors, string name, FieldPath path)
    {
        var problems = NameValidation.IsQualifiedName(name);
        if (problems.Count > 0)
        {
            errors.AddInvalid(path, name, problems);
            return;
        }

        if (!name.Contains('/', StringComparison.Ordinal))
        {
            if (!_standardResources.Contains(name) && !IsHugePages(name))
            {
                errors.Add(FieldError.Invalid(path, name, "must be a standard resource type or fully qualified"));
            }

            if (!_containerResources.Contains(name) && !IsHugePages(name))
            {
                errors.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!IsNative(name) && name.StartsWith("requests.", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(path, name, "doesn't follow extended resource name standard"));
        }
    }

    private static bool IsHugePages(string name) => name.StartsWith("hugepages-", StringComparison.Ordinal);

    // helper.IsNativeResource: no domain, or a kubernetes.io one.
    private static bool IsNative(string name) => !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    private static bool IsExtended(string name) => !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal);

    // helper.IsOvercommitAllowed.
    private static bool IsOvercommitAllowed(string name) => IsNative(name) && !IsHugePages(name);
}
