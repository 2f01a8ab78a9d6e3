using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The defaults upstream gives Pods but not pod templates (pkg/apis/core/v1/defaults.go SetDefaults_Pod):
/// requests taken from limits, enableServiceLinks, and host ports for host-network pods (since v1.28 only on
/// Pods, feature gate DefaultHostNetworkHostPortsInPodTemplates off). Includes the pod spec defaults.
/// </summary>
public static class PodDefaults
{
    public static void Apply(JsonObject pod)
    {
        var spec = pod.Child("spec");
        PodSpecDefaults.Apply(spec);
        var hostNetwork = spec.BoolAt("hostNetwork") == true;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in spec.ArrayAt(list).Objects())
            {
                RequestsFromLimits(container);
                if (hostNetwork)
                {
                    foreach (var port in container.ArrayAt("ports").Objects())
                    {
                        ContainerDefaults.SetIfZero(port, "hostPort", port.LongAt("containerPort") ?? 0);
                    }
                }
            }
        }

        // v1.DefaultEnableServiceLinks.
        spec.SetDefault("enableServiceLinks", true);
    }

    private static void RequestsFromLimits(JsonObject container)
    {
        if (container.ObjectAt("resources", "limits") is not { } limits)
        {
            return;
        }

        var requests = container.Child("resources").Child("requests");
        foreach (var (name, value) in limits)
        {
            if (!requests.ContainsKey(name))
            {
                requests[name] = value?.DeepClone();
            }
        }
    }
}
