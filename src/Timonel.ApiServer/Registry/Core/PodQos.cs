using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The QoS class of a pod, as upstream's ComputePodQOS (pkg/apis/core/helper/qos): only cpu and memory count;
/// Guaranteed when every container limits both and the summed requests equal the summed limits, BestEffort
/// when nothing is requested or limited, Burstable otherwise. Expects requests already defaulted from limits.
/// </summary>
public static class PodQos
{
    private static readonly string[] _computeResources = ["cpu", "memory"];

    public static string Compute(JsonObject pod)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        var spec = pod.ObjectAt("spec");
        foreach (var container in spec.ArrayAt("containers").Objects().Concat(spec.ArrayAt("initContainers").Objects()))
        {
            Sum(container.ObjectAt("resources", "requests"), requests);
            var limited = Sum(container.ObjectAt("resources", "limits"), limits);
            if (!limited.Contains("cpu") || !limited.Contains("memory"))
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        if (guaranteed && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value) && requests.Count == limits.Count)
        {
            return "Guaranteed";
        }

        return "Burstable";
    }

    // Adds the positive cpu/memory amounts of one container into the totals; returns the names it found.
    private static HashSet<string> Sum(JsonObject? resources, Dictionary<string, decimal> totals)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in _computeResources)
        {
            if (ResourceQuantity.Parse(resources?[name]) is > 0 and var amount)
            {
                found.Add(name);
                totals[name] = totals.GetValueOrDefault(name) + amount;
            }
        }

        return found;
    }
}
