using System.Globalization;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// A container's resource as a downwardAPI resourceFieldRef shows it (upstream
/// resource.ExtractResourceValueByContainerNameAndNodeAllocatable): limits.* or requests.* of cpu, memory,
/// ephemeral-storage (and hugepages-*), divided by the divisor (default 1) and rounded up; a limit the container does
/// not set is the node's allocatable amount.
/// </summary>
public static class ContainerResourceValue
{
    /// <summary>Throws <see cref="ArgumentException"/> for an unknown container or resource.</summary>
    public static string Extract(V1Pod pod, V1ResourceFieldSelector selector, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        var container = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == selector.ContainerName)
            ?? throw new ArgumentException($"container {selector.ContainerName} not found");
        return Extract(container, selector, nodeAllocatable);
    }

    public static string Extract(V1Container container, V1ResourceFieldSelector selector, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        var divisor = selector.Divisor is { } given && given.ToDecimal() != 0 ? given.ToDecimal() : 1m;
        var dot = selector.Resource.IndexOf('.', StringComparison.Ordinal);
        var (kind, resource) = dot < 0 ? ("", selector.Resource) : (selector.Resource[..dot], selector.Resource[(dot + 1)..]);
        if (kind is not ("limits" or "requests")
            || resource is not ("cpu" or "memory" or "ephemeral-storage") && !resource.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            throw new ArgumentException($"unsupported container resource : {selector.Resource}");
        }

        var amounts = kind == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        var amount = amounts?.TryGetValue(resource, out var set) == true ? set.ToDecimal()
            : kind == "limits" && nodeAllocatable.TryGetValue(resource, out var allocatable) ? allocatable.ToDecimal()
            : 0m;

        // CPU is compared in millicores, the rest in whole units, each rounded up as Quantity.MilliValue/Value do.
        var value = resource == "cpu"
            ? Math.Ceiling(Math.Ceiling(amount * 1000) / Math.Ceiling(divisor * 1000))
            : Math.Ceiling(Math.Ceiling(amount) / Math.Ceiling(divisor));
        return ((long)value).ToString(CultureInfo.InvariantCulture);
    }
}
