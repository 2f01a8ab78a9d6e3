using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints.Kubelets;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The pod subresources that reach a container through its node: log, exec, attach and portforward, after
/// upstream's LogLocation, streamLocation and PortForwardLocation (pkg/registry/core/pod/strategy.go). Until a pod
/// is scheduled there is no node to ask: upstream answers logs with no content (204) and refuses the streams with
/// "pod X does not have a host assigned", and so does Timonel. A scheduled pod is served by its node's kubelet,
/// reached over the API server's authenticated kubelet channel.
/// </summary>
public static class PodConnectHandler
{
    public static async Task HandleAsync(HttpContext context, GenericStore pods, StoreRegistry registry, KubeletConnector kubelets, string ns, string name, string subresource)
    {
        var pod = await pods.GetAsync(ns, name, context.RequestAborted);
        var container = subresource == "portforward" ? "" : ValidateContainer(pod, context.Request.Query["container"].ToString());

        if (pod.StringAt("spec", "nodeName") is not { Length: > 0 } nodeName)
        {
            if (subresource == "log")
            {
                // LocationStreamer without a location: no stream, so StreamObject writes 204.
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            throw StatusException.BadRequest($"pod {name} does not have a host assigned");
        }

        var node = await registry.Get("", "nodes").GetAsync(null, nodeName, context.RequestAborted);
        var kubelet = KubeletLocation.For(node);
        var query = context.Request.Query;
        switch (subresource)
        {
            case "log":
                await LogRelay.RelayAsync(context, kubelets, kubelet, KubeletPaths.Log(ns, name, container, query));
                break;
            case "portforward":
                await UpgradeRelay.RelayAsync(context, kubelets, kubelet, KubeletPaths.PortForward(ns, name, query));
                break;
            default:
                await UpgradeRelay.RelayAsync(context, kubelets, kubelet, KubeletPaths.Stream(subresource, ns, name, container, query));
                break;
        }
    }

    /// <summary>
    /// validateContainer: an unnamed container is the pod's only one; a named one must be in the pod. Answers the
    /// container's name.
    /// </summary>
    private static string ValidateContainer(JsonObject pod, string container)
    {
        var name = pod.Name();
        // podutil.VisitContainers' order: init containers, containers, ephemeral containers.
        var all = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => pod.ArrayAt("spec", list) ?? [])
            .Select(c => c.StringAt("name") ?? "")
            .ToList();
        if (container.Length == 0)
        {
            var containers = pod.ArrayAt("spec", "containers") ?? [];
            switch (containers.Count)
            {
                case 1:
                    return containers[0].StringAt("name") ?? "";
                case 0:
                    throw StatusException.BadRequest($"a container name must be specified for pod {name}");
                default:
                    throw StatusException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', all)}]");
            }
        }

        if (!all.Contains(container, StringComparer.Ordinal))
        {
            throw StatusException.BadRequest($"container {container} is not valid for pod {name}");
        }

        return container;
    }
}
