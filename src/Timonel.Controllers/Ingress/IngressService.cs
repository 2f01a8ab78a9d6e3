using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client.Services;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// kube-system/timonel-ingress, the Service in front of the built-in Ingress controller, as K3s puts its Traefik behind a
/// LoadBalancer Service: type LoadBalancer with the controller's ports, no selector, its endpoints the servers running
/// the controller. The cloud controller manager gives it addresses (the nodes', K3s' ServiceLB way, or one of the pool),
/// and every node's Service proxy forwards those addresses' ports 80/443 to the controller, so each node answers; the
/// Ingresses' status then mirrors the Service's addresses, as ingress-nginx's <c>--publish-service</c> does.
/// </summary>
public static class IngressService
{
    public const string Name = "timonel-ingress";
    public const string Namespace = "kube-system";

    public static ServerBackedService Definition(int httpPort, int httpsPort) => new(
        new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/name"] = Name,
                    ["app.kubernetes.io/component"] = "controller",
                },
            },
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                Ports =
                [
                    new V1ServicePort { Name = "http", Port = httpPort, Protocol = "TCP", TargetPort = httpPort },
                    new V1ServicePort { Name = "https", Port = httpsPort, Protocol = "TCP", TargetPort = httpsPort },
                ],
            },
        },
        [new ServerEndpointPort("http", httpPort), new ServerEndpointPort("https", httpsPort)]);

    /// <summary>
    /// Deletes the Service an earlier start made, when the controller is now disabled (as K3s removes a disabled
    /// Traefik): left behind without endpoints, it would make every node's proxy refuse ports 80/443 on the node
    /// addresses, where the user's own Ingress controller may listen.
    /// </summary>
    public static async Task RemoveLeftoverAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedServiceAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The Service's load-balancer addresses (IPs or host names), none while it is pending.</summary>
    public static IReadOnlyList<string> Addresses(V1Service? service) =>
        [.. (service?.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()];
}
