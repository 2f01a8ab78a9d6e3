using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Timonel.Controllers.Ingress;

/// <summary>Creates the <c>timonel</c> IngressClass at start (K3s' Traefik chart installs its class the same way), leaving an existing one as its owner edited it.</summary>
public static class DefaultIngressClass
{
    public static async Task EnsureAsync(IKubernetes client, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await client.NetworkingV1.CreateIngressClassAsync(IngressClasses.Default(), cancellationToken: cancellationToken);
            logger.LogInformation("created IngressClass {Name} (default, controller {Controller})", IngressClasses.Name, IngressClasses.Controller);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }
    }
}
