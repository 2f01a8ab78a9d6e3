using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A pod's QoS class (v1qos.GetPodQOS): status.qosClass when the API server set it, else computed from cpu and
/// memory: Guaranteed when every container limits both and the summed requests equal the summed limits,
/// BestEffort when nothing is requested or limited, Burstable otherwise.
/// </summary>
internal static class PodQosClass
{
    public const string Guaranteed = "Guaranteed";
    public const string Burstable = "Burstable";
    public const string BestEffort = "BestEffort";

    private static readonly string[] _computeResources = ["cpu", "memory"];

    public static string Of(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Status?.QosClass) ? Compute(pod) : pod.Status.QosClass;

    public static string Compute(V1Pod pod)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
        {
            Sum(container.Resources?.Requests, requests);
            if (Sum(container.Resources?.Limits, limits) < _computeResources.Length)
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return BestEffort;
        }

        var requestsMatchLimits = requests.Count == limits.Count
            && requests.All(request => limits.TryGetValue(request.Key, out var limit) && limit == request.Value);
        return guaranteed && requestsMatchLimits ? Guaranteed : Burstable;
    }

    // Adds one container's positive cpu and memory amounts into the totals; answers how many it had.
    private static int Sum(IDictionary<string, ResourceQuantity>? amounts, Dictionary<string, decimal> totals)
    {
        var found = 0;
        foreach (var name in _computeResources)
        {
            if (Quantities.Get(amounts, name)?.ToDecimal() is > 0 and var amount)
            {
                found++;
                totals[name] = totals.GetValueOrDefault(name) + amount;
            }
        }

        return found;
    }
}
