using k8s.Models;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>A pod's QoS class when the API server has not set it (v1/helper/qos GetPodQOS, for cpu and memory).</summary>
internal static class QosClasses
{
    public static string Of(V1Pod pod)
    {
        var containers = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers).ToList();
        var any = containers.Any(c => Has(c.Resources?.Requests) || Has(c.Resources?.Limits));
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c.Resources?.Limits is { } limits
            && limits.ContainsKey("cpu") && limits.ContainsKey("memory")
            && (c.Resources.Requests is null || c.Resources.Requests.All(r => !limits.TryGetValue(r.Key, out var limit) || limit.ToDecimal() == r.Value.ToDecimal())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static bool Has(IDictionary<string, ResourceQuantity>? resources) => resources?.Keys.Any(k => k is "cpu" or "memory") == true;
}
