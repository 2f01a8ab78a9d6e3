using System.Globalization;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// The value of a downward-API <c>resourceFieldRef</c> (resource.ExtractContainerResourceValue): a container's cpu,
/// memory, ephemeral-storage or hugepages request or limit divided by the divisor and rounded up. A limit the
/// container does not set reads as the node's allocatable amount, as upstream's defaultPodLimitsForDownwardAPI.
/// </summary>
internal static class ResourceFieldValues
{
    private static readonly string[] _defaultedLimits = ["cpu", "memory", "ephemeral-storage"];

    public static string Value(V1ResourceFieldSelector selector, V1Pod pod, V1Container container, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        var target = string.IsNullOrEmpty(selector.ContainerName) ? container : FindContainer(pod, selector.ContainerName);
        var (kind, resource) = Split(selector.Resource);
        var amounts = kind switch
        {
            "limits" => LimitsWithDefaults(target, nodeAllocatable),
            "requests" => target.Resources?.Requests,
            _ => null,
        };
        if (amounts is null || !IsSupported(resource))
        {
            throw new ContainerConfigException($"unsupported container resource : {selector.Resource}");
        }

        var amount = Quantities.Get(amounts, resource);
        var divisor = selector.Divisor is { } d && d.ToDecimal() != 0 ? d : new ResourceQuantity("1");
        var result = resource == "cpu"
            ? CeilingRatio(Quantities.MilliValue(amount), Quantities.MilliValue(divisor))
            : CeilingRatio(Quantities.Value(amount), Quantities.Value(divisor));
        return result.ToString(CultureInfo.InvariantCulture);
    }

    private static V1Container FindContainer(V1Pod pod, string name) =>
        (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == name)
        ?? throw new ContainerConfigException($"container {name} not found");

    private static (string Kind, string Resource) Split(string? resource)
    {
        var dot = resource?.IndexOf('.') ?? -1;
        return dot < 0 ? ("", "") : (resource![..dot], resource[(dot + 1)..]);
    }

    private static bool IsSupported(string resource) =>
        _defaultedLimits.Contains(resource) || resource.StartsWith("hugepages-", StringComparison.Ordinal);

    private static Dictionary<string, ResourceQuantity> LimitsWithDefaults(V1Container container, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        var limits = new Dictionary<string, ResourceQuantity>(container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal);
        foreach (var name in _defaultedLimits)
        {
            if (!limits.ContainsKey(name) && nodeAllocatable.TryGetValue(name, out var allocatable))
            {
                limits[name] = allocatable;
            }
        }

        return limits;
    }

    private static long CeilingRatio(long value, long divisor) =>
        divisor == 0 ? 0 : (long)Math.Ceiling((decimal)value / divisor);
}
