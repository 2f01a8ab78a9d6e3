using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Quantities;

namespace Timonel.Api.Quota;

/// <summary>
/// What an object costs against a ResourceQuota and which quotas it counts against, as upstream's evaluators reckon
/// it (pkg/quota/v1/evaluator/core: pods.go, services.go, persistent_volume_claims.go; generic object counts in
/// apiserver/pkg/quota/v1/generic). Shared by the ResourceQuota admission plugin (which charges a new object) and
/// the resource quota controller (which recounts a namespace), so both agree on every number.
/// </summary>
public static class QuotaEvaluator
{
    private const string StorageClassSuffix = ".storageclass.storage.k8s.io/";

    // The legacy names the core object counts also answer to (pkg/quota/v1/evaluator/core/registry.go).
    private static readonly HashSet<string> _legacyCounted = new(StringComparer.Ordinal) { "configmaps", "secrets", "replicationcontrollers", "resourcequotas" };

    // pods.go podResources and validationSet.
    private static readonly HashSet<string> _podResources = new(StringComparer.Ordinal)
    {
        "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
    };

    private static readonly string[] _mustSpecify = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

    private static readonly Quantity _one = Quantity.FromInt64(1);

    /// <summary>The quota resource names among <paramref name="names"/> the evaluator of <paramref name="kind"/> tracks (MatchingResources).</summary>
    public static IReadOnlyList<string> MatchingResources(QuotaKind kind, IEnumerable<string> names) =>
        [.. names.Where(name => Tracks(kind, name))];

    /// <summary>Whether <paramref name="kind"/>'s evaluator tracks the quota resource <paramref name="name"/>.</summary>
    public static bool Tracks(QuotaKind kind, string name)
    {
        if (name == kind.CountName)
        {
            return true;
        }

        return kind switch
        {
            { Group: "", Resource: "pods" } => _podResources.Contains(name) || name.StartsWith("hugepages-", StringComparison.Ordinal)
                || (name.StartsWith("requests.", StringComparison.Ordinal) && (name.StartsWith("requests.hugepages-", StringComparison.Ordinal) || IsExtended(name["requests.".Length..]))),
            { Group: "", Resource: "services" } => name is "services" or "services.nodeports" or "services.loadbalancers",
            { Group: "", Resource: "persistentvolumeclaims" } => name is "persistentvolumeclaims" or "requests.storage"
                || (name.Contains(StorageClassSuffix, StringComparison.Ordinal) && (name.EndsWith("/persistentvolumeclaims", StringComparison.Ordinal) || name.EndsWith("/requests.storage", StringComparison.Ordinal))),
            { Group: "" } => _legacyCounted.Contains(kind.Resource) && name == kind.Resource,
            _ => false,
        };
    }

    /// <summary>The kinds whose objects make up the usage of the named resources (what the controller lists to recount).</summary>
    public static IReadOnlyList<QuotaKind> KindsFor(IEnumerable<string> names)
    {
        var kinds = new List<QuotaKind>();
        foreach (var name in names)
        {
            var kind = KindOf(name);
            if (kind is { } found && !kinds.Contains(found))
            {
                kinds.Add(found);
            }
        }

        return kinds;
    }

    /// <summary>The usage of one object (Usage): what it adds to each quota resource.</summary>
    public static Dictionary<string, Quantity> Usage(QuotaKind kind, JsonObject obj, DateTimeOffset now)
    {
        var usage = ResourceList.Empty();
        usage[kind.CountName] = _one;
        switch (kind)
        {
            case { Group: "", Resource: "pods" }:
                if (CountsCompute(obj, now))
                {
                    foreach (var (name, value) in PodCompute(obj))
                    {
                        usage[name] = value;
                    }
                }

                break;
            case { Group: "", Resource: "services" }:
                ServiceUsage(obj, usage);
                break;
            case { Group: "", Resource: "persistentvolumeclaims" }:
                ClaimUsage(obj, usage);
                break;
            case { Group: "" } when _legacyCounted.Contains(kind.Resource):
                usage[kind.Resource] = _one;
                break;
        }

        return usage;
    }

    /// <summary>
    /// Whether a quota applies to an object (Matches): it limits something the object's evaluator tracks
    /// (by status.hard, as upstream: a quota the controller has not processed yet limits nothing), and every scope
    /// of the quota matches; only pods have scopes, so a scoped quota never applies to other kinds.
    /// </summary>
    public static bool Matches(JsonObject quota, QuotaKind kind, JsonObject obj)
    {
        var hard = ResourceList.FromJson(quota["status"]?["hard"] as JsonObject);
        if (MatchingResources(kind, hard.Keys).Count == 0)
        {
            return false;
        }

        return Scopes(quota).All(scope => kind == QuotaKind.Pods && PodMatchesScope(obj, scope));
    }

    /// <summary>
    /// The "must specify" rule for pods (pods.go Constraints): when a quota limits cpu or memory, every container
    /// must state that request or limit. Null when the pod complies or the kind has no such rule.
    /// </summary>
    public static string? Constraints(QuotaKind kind, IEnumerable<string> required, JsonObject obj)
    {
        if (kind != QuotaKind.Pods)
        {
            return null;
        }

        var requiredSet = required.Where(_mustSpecify.Contains).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var containers = Containers(obj, "containers").Concat(Containers(obj, "initContainers"));
        foreach (var container in containers)
        {
            var stated = ComputeUsage(Resources(container, "requests"), Resources(container, "limits")).Keys;
            foreach (var name in requiredSet.Except(stated))
            {
                if (!missing.TryGetValue(name, out var names))
                {
                    missing[name] = names = new SortedSet<string>(StringComparer.Ordinal);
                }

                names.Add(container["name"]?.ToString() ?? "");
            }
        }

        return missing.Count == 0 ? null : "must specify " + string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(",", m.Value)}"));
    }

    /// <summary>The scopes of a quota as (scope, operator, values): spec.scopes are Exists, spec.scopeSelector adds its expressions.</summary>
    public static IReadOnlyList<(string Scope, string Operator, IReadOnlyList<string> Values)> Scopes(JsonObject quota)
    {
        var scopes = new List<(string, string, IReadOnlyList<string>)>();
        foreach (var scope in (quota["spec"]?["scopes"] as JsonArray ?? []).Select(s => s?.ToString() ?? ""))
        {
            scopes.Add((scope, "Exists", []));
        }

        foreach (var expression in (quota["spec"]?["scopeSelector"]?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").ToList();
            scopes.Add((expression["scopeName"]?.ToString() ?? "", expression["operator"]?.ToString() ?? "", values));
        }

        return scopes;
    }

    /// <summary>Whether the pod's compute resources count (QuotaV1Pod): not terminal, and not past a grace period already over.</summary>
    public static bool CountsCompute(JsonObject pod, DateTimeOffset now)
    {
        if (pod["status"]?["phase"]?.ToString() is "Succeeded" or "Failed")
        {
            return false;
        }

        if (pod["metadata"]?["deletionTimestamp"]?.ToString() is { } deletion && pod["metadata"]?["deletionGracePeriodSeconds"] is JsonValue grace
            && DateTimeOffset.TryParse(deletion, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var deletedAt)
            && grace.TryGetValue<long>(out var seconds) && now > deletedAt.AddSeconds(seconds))
        {
            return false;
        }

        return true;
    }

    private static QuotaKind? KindOf(string name)
    {
        if (name.StartsWith("count/", StringComparison.Ordinal))
        {
            var rest = name["count/".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? new QuotaKind("", rest) : new QuotaKind(rest[(dot + 1)..], rest[..dot]);
        }

        if (_legacyCounted.Contains(name))
        {
            return new QuotaKind("", name);
        }

        foreach (var kind in new[] { QuotaKind.Pods, QuotaKind.Services, QuotaKind.PersistentVolumeClaims })
        {
            if (Tracks(kind, name))
            {
                return kind;
            }
        }

        return null;
    }

    private static bool PodMatchesScope(JsonObject pod, (string Scope, string Operator, IReadOnlyList<string> Values) selector)
    {
        switch (selector.Scope)
        {
            case "Terminating":
                return IsTerminating(pod);
            case "NotTerminating":
                return !IsTerminating(pod);
            case "BestEffort":
                return IsBestEffort(pod);
            case "NotBestEffort":
                return !IsBestEffort(pod);
            case "CrossNamespacePodAffinity":
                return UsesCrossNamespaceAffinity(pod);
            case "PriorityClass":
                var className = pod["spec"]?["priorityClassName"]?.ToString() ?? "";
                return selector.Operator switch
                {
                    "Exists" => className.Length > 0,
                    "DoesNotExist" => className.Length == 0,
                    "In" => selector.Values.Contains(className),
                    "NotIn" => !selector.Values.Contains(className),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool IsTerminating(JsonObject pod) => pod["spec"]?["activeDeadlineSeconds"] is JsonValue deadline && deadline.TryGetValue<long>(out var seconds) && seconds >= 0;

    /// <summary>The BestEffort QoS class: no container states a cpu or memory request or limit.</summary>
    private static bool IsBestEffort(JsonObject pod) =>
        !Containers(pod, "containers").Concat(Containers(pod, "initContainers"))
            .Any(c => new[] { "requests", "limits" }.Any(field => Resources(c, field).Keys.Any(k => k is "cpu" or "memory")));

    private static bool UsesCrossNamespaceAffinity(JsonObject pod)
    {
        foreach (var affinity in new[] { "podAffinity", "podAntiAffinity" })
        {
            var node = pod["spec"]?["affinity"]?[affinity];
            var terms = (node?["requiredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>()
                .Concat((node?["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>().Select(p => p["podAffinityTerm"] as JsonObject ?? []));
            if (terms.Any(t => t["namespaceSelector"] is not null || t["namespaces"] is JsonArray { Count: > 0 }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The pod's requests and limits (resourcehelper.PodRequests/PodLimits): the containers' sum plus the sidecars
    /// (init containers that keep running), or the largest single init container with the sidecars started before
    /// it, whichever is more, plus the pod's overhead.
    /// </summary>
    private static Dictionary<string, Quantity> PodCompute(JsonObject pod)
    {
        var requests = Aggregate(pod, "requests");
        var limits = Aggregate(pod, "limits");
        return ComputeUsage(requests, limits);
    }

    private static Dictionary<string, Quantity> Aggregate(JsonObject pod, string field)
    {
        var total = ResourceList.Empty();
        foreach (var container in Containers(pod, "containers"))
        {
            total = ResourceList.Add(total, Resources(container, field));
        }

        var sidecars = ResourceList.Empty();
        var initMax = ResourceList.Empty();
        foreach (var init in Containers(pod, "initContainers"))
        {
            var resources = Resources(init, field);
            if (init["restartPolicy"]?.ToString() == "Always")
            {
                sidecars = ResourceList.Add(sidecars, resources);
                total = ResourceList.Add(total, resources);
                resources = sidecars;
            }
            else
            {
                resources = ResourceList.Add(resources, sidecars);
            }

            foreach (var (name, value) in resources)
            {
                if (!initMax.TryGetValue(name, out var max) || value > max)
                {
                    initMax[name] = value;
                }
            }
        }

        foreach (var (name, value) in initMax)
        {
            if (!total.TryGetValue(name, out var sum) || value > sum)
            {
                total[name] = value;
            }
        }

        if (pod["spec"]?["overhead"] is JsonObject overhead)
        {
            total = ResourceList.Add(total, ResourceList.FromJson(overhead).Where(p => total.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        }

        return total;
    }

    /// <summary>pods.go podComputeUsageHelper: the quota names a pod's (or a container's) requests and limits fill.</summary>
    private static Dictionary<string, Quantity> ComputeUsage(IReadOnlyDictionary<string, Quantity> requests, IReadOnlyDictionary<string, Quantity> limits)
    {
        var usage = ResourceList.Empty();
        usage["pods"] = _one;
        foreach (var name in new[] { "cpu", "memory", "ephemeral-storage" })
        {
            if (requests.TryGetValue(name, out var request))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }

            if (limits.TryGetValue(name, out var limit))
            {
                usage["limits." + name] = limit;
            }
        }

        foreach (var (name, request) in requests)
        {
            if (name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }

            if (IsExtended(name))
            {
                usage["requests." + name] = request;
            }
        }

        return usage;
    }

    /// <summary>An extended resource: a domain-qualified name outside kubernetes.io (helper.IsExtendedResourceName).</summary>
    private static bool IsExtended(string name) =>
        name.Contains('/', StringComparison.Ordinal) && !name.StartsWith("requests.", StringComparison.Ordinal)
        && !name.Split('/')[0].EndsWith("kubernetes.io", StringComparison.Ordinal);

    private static void ServiceUsage(JsonObject service, Dictionary<string, Quantity> usage)
    {
        usage["services"] = _one;
        var ports = service["spec"]?["ports"] as JsonArray ?? [];
        var nodePorts = Quantity.Zero;
        var loadBalancers = Quantity.Zero;
        switch (service["spec"]?["type"]?.ToString())
        {
            case "NodePort":
                nodePorts = Quantity.FromInt64(ports.Count);
                break;
            case "LoadBalancer":
                // With node port allocation turned off only the ports that name one count (services.go).
                nodePorts = service["spec"]?["allocateLoadBalancerNodePorts"] is JsonValue allocate && allocate.TryGetValue<bool>(out var on) && !on
                    ? Quantity.FromInt64(ports.Count(p => p?["nodePort"] is JsonValue port && port.TryGetValue<int>(out var n) && n != 0))
                    : Quantity.FromInt64(ports.Count);
                loadBalancers = _one;
                break;
        }

        usage["services.nodeports"] = nodePorts;
        usage["services.loadbalancers"] = loadBalancers;
    }

    private static void ClaimUsage(JsonObject claim, Dictionary<string, Quantity> usage)
    {
        usage["persistentvolumeclaims"] = _one;
        // storagehelpers.GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName.
        var className = claim["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"]?.ToString()
            ?? claim["spec"]?["storageClassName"]?.ToString() ?? "";
        if (className.Length > 0)
        {
            usage[className + StorageClassSuffix + "persistentvolumeclaims"] = _one;
        }

        var requested = Quantity.FromJson(claim["spec"]?["resources"]?["requests"]?["storage"]);
        // A claim being expanded is charged the larger of what it asks and what is allocated.
        if (Quantity.FromJson(claim["status"]?["allocatedResources"]?["storage"]) is { } allocated && (requested is null || allocated > requested))
        {
            requested = allocated;
        }

        if (requested is not null)
        {
            usage["requests.storage"] = requested;
            if (className.Length > 0)
            {
                usage[className + StorageClassSuffix + "requests.storage"] = requested;
            }
        }
    }

    private static IEnumerable<JsonObject> Containers(JsonObject pod, string field) => (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>();

    private static Dictionary<string, Quantity> Resources(JsonObject container, string field) => ResourceList.FromJson(container["resources"]?[field] as JsonObject);
}
