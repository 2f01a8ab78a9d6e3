using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// LimitRanger (plugin/pkg/admission/limitranger/admission.go) for the LimitRanges of the object's namespace. On a
/// new pod it fills the Container defaults (default → limits, defaultRequest → requests) into every container and
/// init container that lacks them, noting what it set in the kubernetes.io/limit-ranger annotation; then it enforces
/// min, max and maxLimitRequestRatio per Container and per Pod, and min and max per PersistentVolumeClaim on created
/// and updated claims, refusing with upstream's messages.
/// </summary>
public sealed class LimitRangerAdmission : IMutatingAdmissionPlugin, IValidatingAdmissionPlugin
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    // resource.MaxMilliValue: above it, values are compared in whole units.
    private const long MaxMilliValue = long.MaxValue / 1000;

    private readonly LimitRangeLookup _limitRanges;

    public LimitRangerAdmission(AdmissionServices services) => _limitRanges = new LimitRangeLookup(services.Registry, services.Time);

    public string Name => "LimitRanger";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (Kind(attributes) != "Pod")
        {
            return;
        }

        foreach (var limitRange in await _limitRanges.ListAsync(attributes.Namespace!, cancellationToken))
        {
            MergeDefaults(attributes.Object!, ContainerDefaults(limitRange));
        }
    }

    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var kind = Kind(attributes);
        if (kind is null)
        {
            return;
        }

        foreach (var limitRange in await _limitRanges.ListAsync(attributes.Namespace!, cancellationToken))
        {
            var errors = kind == "Pod" ? ValidatePod(limitRange, attributes.Object!) : ValidateClaim(limitRange, attributes.Object!);
            if (errors.Count > 0)
            {
                // utilerrors.NewAggregate's text: the one message, or all of them in brackets.
                var message = errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
                var resource = attributes.Resource;
                throw StatusException.Forbidden(resource.Group, resource.Plural, attributes.Name, message);
            }
        }
    }

    /// <summary>
    /// SupportsAttributes: pods on create, claims on create and update, never a subresource, never an object being
    /// deleted; null when the plugin has nothing to do.
    /// </summary>
    private static string? Kind(AdmissionAttributes attributes)
    {
        if (attributes.Subresource.Length > 0 || attributes.Resource.Group.Length > 0 || attributes.OldObject?.StringAt("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }

        return attributes.Resource.Plural switch
        {
            "pods" when attributes.Operation == AdmissionOperation.Create => "Pod",
            "persistentvolumeclaims" => "PersistentVolumeClaim",
            _ => null,
        };
    }

    /// <summary>
    /// defaultContainerResourceRequirements, over the LimitRange as upstream's defaulting leaves it
    /// (SetDefaults_LimitRangeItem: default from max, defaultRequest from default, then from min).
    /// </summary>
    private static (Dictionary<string, JsonNode> Limits, Dictionary<string, JsonNode> Requests) ContainerDefaults(JsonObject limitRange)
    {
        var limits = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var requests = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in Items(limitRange, "Container"))
        {
            var itemDefaults = Nodes(item, "default");
            foreach (var (name, value) in Nodes(item, "max"))
            {
                itemDefaults.TryAdd(name, value);
            }

            var itemRequests = Nodes(item, "defaultRequest");
            foreach (var (name, value) in itemDefaults.Concat(Nodes(item, "min")))
            {
                itemRequests.TryAdd(name, value);
            }

            foreach (var (name, value) in itemDefaults)
            {
                limits[name] = value;
            }

            foreach (var (name, value) in itemRequests)
            {
                requests[name] = value;
            }
        }

        return (limits, requests);
    }

    /// <summary>mergePodResourceRequirements and mergeContainerResources, with the annotation they write.</summary>
    private static void MergeDefaults(JsonObject pod, (Dictionary<string, JsonNode> Limits, Dictionary<string, JsonNode> Requests) defaults)
    {
        if (defaults.Limits.Count == 0 && defaults.Requests.Count == 0)
        {
            return;
        }

        var notes = new List<string>();
        var spec = pod.Child("spec");
        foreach (var (list, label) in new[] { ("containers", "container"), ("initContainers", "init container") })
        {
            foreach (var container in spec.ArrayAt(list)?.OfType<JsonObject>() ?? [])
            {
                var resources = container.Child("resources");
                var setLimits = Fill(resources, "limits", defaults.Limits);
                var setRequests = Fill(resources, "requests", defaults.Requests);
                var name = container.StringAt("name");
                if (setRequests.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setRequests)} request for {label} {name}");
                }

                if (setLimits.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setLimits)} limit for {label} {name}");
                }
            }
        }

        if (notes.Count > 0)
        {
            pod.Child("metadata").Child("annotations")[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
        }
    }

    private static List<string> Fill(JsonObject resources, string field, Dictionary<string, JsonNode> defaults)
    {
        var set = new List<string>();
        var list = resources[field] as JsonObject;
        foreach (var (name, value) in defaults)
        {
            if (list?.ContainsKey(name) != true)
            {
                list ??= resources.Child(field);
                list[name] = value.DeepClone();
                set.Add(name);
            }
        }

        set.Sort(StringComparer.Ordinal);
        return set;
    }

    /// <summary>PodValidateLimitFunc: Container items per container and init container, Pod items over the pod's totals.</summary>
    private static List<string> ValidatePod(JsonObject limitRange, JsonObject pod)
    {
        var errors = new List<string>();
        var spec = pod.ObjectAt("spec");
        var containers = spec.ArrayAt("containers")?.OfType<JsonObject>().ToList() ?? [];
        var initContainers = spec.ArrayAt("initContainers")?.OfType<JsonObject>().ToList() ?? [];
        foreach (var item in limitRange.ArrayAt("spec", "limits")?.OfType<JsonObject>() ?? [])
        {
            switch (item.StringAt("type"))
            {
                case "Container":
                    foreach (var container in containers.Concat(initContainers))
                    {
                        Check(item, "Container", Resources(container, "resources", "requests"), Resources(container, "resources", "limits"), errors);
                    }

                    break;
                case "Pod":
                    Check(item, "Pod", PodTotal(containers, initContainers, "requests"), PodTotal(containers, initContainers, "limits"), errors);
                    break;
            }
        }

        return errors;
    }

    /// <summary>PersistentVolumeClaimValidateLimitFunc: min and max against the claim's requests.</summary>
    private static List<string> ValidateClaim(JsonObject limitRange, JsonObject claim)
    {
        var errors = new List<string>();
        var requests = Resources(claim, "spec", "resources", "requests");
        foreach (var item in Items(limitRange, "PersistentVolumeClaim"))
        {
            foreach (var (name, enforced) in Sorted(item, "min"))
            {
                AddIf(errors, MinConstraint("PersistentVolumeClaim", name, enforced, requests, []));
            }

            foreach (var (name, enforced) in Sorted(item, "max"))
            {
                AddIf(errors, MaxRequestConstraint("PersistentVolumeClaim", name, enforced, requests));
            }
        }

        return errors;
    }

    private static void Check(JsonObject item, string type, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits, List<string> errors)
    {
        foreach (var (name, enforced) in Sorted(item, "min"))
        {
            AddIf(errors, MinConstraint(type, name, enforced, requests, limits));
        }

        foreach (var (name, enforced) in Sorted(item, "max"))
        {
            AddIf(errors, MaxConstraint(type, name, enforced, requests, limits));
        }

        foreach (var (name, enforced) in Sorted(item, "maxLimitRequestRatio"))
        {
            AddIf(errors, RatioConstraint(type, name, enforced, requests, limits));
        }
    }

    private static string? MinConstraint(string type, string name, Quantity enforced, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return $"minimum {name} usage per {type} is {Text(enforced)}.  No request is specified";
        }

        var limit = limits.GetValueOrDefault(name);
        var (observedRequest, observedLimit, floor) = Values(request, limit, enforced);
        if (observedRequest < floor)
        {
            return $"minimum {name} usage per {type} is {Text(enforced)}, but request is {Text(request)}";
        }

        return limit is not null && observedLimit < floor ? $"minimum {name} usage per {type} is {Text(enforced)}, but limit is {Text(limit)}" : null;
    }

    private static string? MaxConstraint(string type, string name, Quantity enforced, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        if (!limits.TryGetValue(name, out var limit))
        {
            return $"maximum {name} usage per {type} is {Text(enforced)}.  No limit is specified";
        }

        var request = requests.GetValueOrDefault(name);
        var (observedRequest, observedLimit, ceiling) = Values(request, limit, enforced);
        if (observedLimit > ceiling)
        {
            return $"maximum {name} usage per {type} is {Text(enforced)}, but limit is {Text(limit)}";
        }

        return request is not null && observedRequest > ceiling ? $"maximum {name} usage per {type} is {Text(enforced)}, but request is {Text(request)}" : null;
    }

    private static string? MaxRequestConstraint(string type, string name, Quantity enforced, Dictionary<string, Quantity> requests)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return $"maximum {name} usage per {type} is {Text(enforced)}.  No request is specified";
        }

        var (observedRequest, _, ceiling) = Values(request, null, enforced);
        return observedRequest > ceiling ? $"maximum {name} usage per {type} is {Text(enforced)}, but request is {Text(request)}" : null;
    }

    private static string? RatioConstraint(string type, string name, Quantity enforced, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        var request = requests.GetValueOrDefault(name);
        var limit = limits.GetValueOrDefault(name);
        var (observedRequest, observedLimit, _) = Values(request, limit, enforced);
        if (request is null || observedRequest == 0)
        {
            return $"{name} max limit to request ratio per {type} is {Text(enforced)}, but no request is specified or request is 0";
        }

        if (limit is null || observedLimit == 0)
        {
            return $"{name} max limit to request ratio per {type} is {Text(enforced)}, but no limit is specified or limit is 0";
        }

        var observedRatio = (double)observedLimit / observedRequest;
        var displayRatio = observedRatio;
        var maxRatio = (double)enforced.Value;
        if (enforced.Value <= MaxMilliValue)
        {
            observedRatio *= 1000;
            maxRatio = enforced.MilliValue;
        }

        // Go's %f: six decimals.
        return observedRatio > maxRatio
            ? $"{name} max limit to request ratio per {type} is {Text(enforced)}, but provided ratio is {displayRatio.ToString("F6", System.Globalization.CultureInfo.InvariantCulture)}"
            : null;
    }

    /// <summary>requestLimitEnforcedValues: milli-units when all three fit, else whole units.</summary>
    private static (long Request, long Limit, long Enforced) Values(Quantity? request, Quantity? limit, Quantity enforced)
    {
        var r = request ?? Quantity.Zero;
        var l = limit ?? Quantity.Zero;
        return r.Value <= MaxMilliValue && l.Value <= MaxMilliValue && enforced.Value <= MaxMilliValue
            ? (r.MilliValue, l.MilliValue, enforced.MilliValue)
            : (r.Value, l.Value, enforced.Value);
    }

    /// <summary>
    /// resourcehelper.PodRequests (and PodLimits): the containers' sum, raised to any init container's own need; a
    /// sidecar (restartPolicy Always) adds to the sum and to what later init containers run beside.
    /// </summary>
    private static Dictionary<string, Quantity> PodTotal(List<JsonObject> containers, List<JsonObject> initContainers, string field)
    {
        var total = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            AddTo(total, Resources(container, "resources", field));
        }

        var sidecars = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var container in initContainers)
        {
            var own = Resources(container, "resources", field);
            Dictionary<string, Quantity> running;
            if (container.StringAt("restartPolicy") == "Always")
            {
                AddTo(total, own);
                AddTo(sidecars, own);
                running = sidecars;
            }
            else
            {
                running = new Dictionary<string, Quantity>(own, StringComparer.Ordinal);
                AddTo(running, sidecars);
            }

            foreach (var (name, value) in running)
            {
                if (!initPeak.TryGetValue(name, out var peak) || value > peak)
                {
                    initPeak[name] = value;
                }
            }
        }

        foreach (var (name, value) in initPeak)
        {
            if (!total.TryGetValue(name, out var sum) || value > sum)
            {
                total[name] = value;
            }
        }

        return total;
    }

    private static void AddTo(Dictionary<string, Quantity> total, Dictionary<string, Quantity> more)
    {
        foreach (var (name, value) in more)
        {
            total[name] = total.TryGetValue(name, out var sum) ? sum.Add(value) : value;
        }
    }

    private static IEnumerable<JsonObject> Items(JsonObject limitRange, string type) =>
        limitRange.ArrayAt("spec", "limits")?.OfType<JsonObject>().Where(i => i.StringAt("type") == type) ?? [];

    private static Dictionary<string, JsonNode> Nodes(JsonObject item, string field) =>
        (item[field] as JsonObject)?.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.DeepClone(), StringComparer.Ordinal) ?? new(StringComparer.Ordinal);

    private static Dictionary<string, Quantity> Resources(JsonObject obj, params ReadOnlySpan<string> path) =>
        obj.ObjectAt(path)?.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Quantity.FromJson(p.Value)!, StringComparer.Ordinal) ?? new(StringComparer.Ordinal);

    // Go ranges over the maps in random order; sorted, several errors read the same every time.
    private static IEnumerable<(string Name, Quantity Value)> Sorted(JsonObject item, string field) =>
        Resources(item, [field]).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    private static void AddIf(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    // Quantity.String(): the canonical form, whatever the object spelled.
    private static string Text(Quantity quantity) => quantity.Add(Quantity.Zero).ToString();
}
