using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The pod subresources that reach a container through its node: log, exec, attach and portforward, after
/// upstream's LogLocation, streamLocation and PortForwardLocation (pkg/registry/core/pod/strategy.go). Until a pod
/// is scheduled there is no node to ask: upstream answers logs with no content (204) and refuses the streams with
/// "pod X does not have a host assigned", and so does Timonel. A scheduled pod would be served by its node agent,
/// which Timonel does not have yet.
/// </summary>
public static class PodConnectHandler
{
    public static async Task HandleAsync(HttpContext context, GenericStore pods, string ns, string name, string subresource)
    {
        var pod = await pods.GetAsync(ns, name, context.RequestAborted);
        if (subresource != "portforward")
        {
            ValidateContainer(pod, context.Request.Query["container"].ToString());
        }

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

        throw new StatusException(503, "ServiceUnavailable", $"no node agent serves node {nodeName} (pod {name}) yet");
    }

    /// <summary>validateContainer: an unnamed container is the pod's only one; a named one must be in the pod.</summary>
    private static void ValidateContainer(JsonObject pod, string container)
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
                    return;
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
    }
}
