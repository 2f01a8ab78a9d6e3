using k8s.Models;

namespace Timonel.Controllers.Endpoints;

/// <summary>What both endpoint controllers ask of a Service and its pods (upstream pkg/controller/util/endpoint).</summary>
internal static class ServicePods
{
    /// <summary>"namespace/name", the key both controllers queue.</summary>
    public static string Key(V1ObjectMeta meta) => $"{meta.NamespaceProperty}/{meta.Name}";

    /// <summary>
    /// A Service whose endpoints a controller writes: one with a selector. The `kubernetes` Service has none (the API
    /// server writes its endpoints); it is named as well so that nothing ever touches it.
    /// </summary>
    public static bool IsManaged(V1Service service) =>
        service.Spec?.Selector is { Count: > 0 } && !(service.Metadata.NamespaceProperty == "default" && service.Metadata.Name == "kubernetes");

    public static bool Selects(V1Service service, V1Pod pod) =>
        IsManaged(service) && pod.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
        && service.Spec.Selector.All(s => pod.Metadata.Labels is { } labels && labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>
    /// ShouldPodBeInEndpoints (pkg/controller/util/endpoint/controller_utils.go): not terminal, has an IP, and not
    /// terminating unless the caller keeps terminating pods.
    /// </summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed")
        && (!string.IsNullOrEmpty(pod.Status?.PodIP) || pod.Status?.PodIPs is { Count: > 0 })
        && (includeTerminating || pod.Metadata.DeletionTimestamp is null);

    public static string? PodIp(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Status?.PodIP) ? pod.Status.PodIP : pod.Status?.PodIPs?.FirstOrDefault()?.Ip;

    /// <summary>podutil.IsPodReady: the Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// podutil.FindPort (pkg/api/v1/pod/util.go): a named targetPort is the container port of that name and protocol;
    /// a number is itself; none (the API server defaults it) is the Service port. Null when the pod has no such name.
    /// </summary>
    public static int? FindPort(V1Pod pod, V1ServicePort port)
    {
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, out var number))
        {
            return number;
        }

        var protocol = port.Protocol ?? "TCP";
        return pod.Spec?.Containers?.SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == target && (p.Protocol ?? "TCP") == protocol)?.ContainerPort;
    }

    public static V1ObjectReference TargetRef(V1Pod pod) => new()
    {
        Kind = "Pod",
        NamespaceProperty = pod.Metadata.NamespaceProperty,
        Name = pod.Metadata.Name,
        Uid = pod.Metadata.Uid,
    };

    /// <summary>Keys of the Services selecting either version of a changed pod (getPodServiceMemberships).</summary>
    public static IEnumerable<string> ServicesOf(IReadOnlyList<V1Service> services, V1Pod? oldPod, V1Pod newPod) =>
        services.Where(s => Selects(s, newPod) || (oldPod is not null && Selects(s, oldPod))).Select(s => Key(s.Metadata));
}
