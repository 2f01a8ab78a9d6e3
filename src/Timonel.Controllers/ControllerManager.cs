using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Controllers.Certificates;
using Timonel.Controllers.Namespace;
using Timonel.Controllers.ServiceAccount;

namespace Timonel.Controllers;

/// <summary>
/// Runs the controllers (kube-controller-manager's role) as clients of an API server, over its REST API, reading
/// through informers shared among them (one watch per kind and selector, whatever the number of controllers).
/// </summary>
public sealed class ControllerManager : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly SharedInformerFactory _informers;
    private readonly IReadOnlyList<BackgroundService> _controllers;

    private ControllerManager(Kubernetes client, SharedInformerFactory informers, IReadOnlyList<BackgroundService> controllers)
    {
        _client = client;
        _informers = informers;
        _controllers = controllers;
    }

    /// <summary>
    /// Starts the controllers against the API server at <paramref name="server"/>, trusting <paramref name="ca"/> and
    /// presenting <paramref name="clientCertificate"/> (with its key). In process the server hands these over directly:
    /// KubernetesClient's kubeconfig loader first builds a YAML type map by reflecting over every model class of the
    /// client, which left ~13 MiB resident (docs/benchmarks.md) for a file whose three fields the server itself wrote.
    /// </summary>
    public static async Task<ControllerManager> StartAsync(Uri server, X509Certificate2 ca, X509Certificate2 clientCertificate, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var configuration = new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            SslCaCerts = [ca],
            ClientCertificateData = Base64Pem(clientCertificate.ExportCertificatePem()),
            ClientCertificateKeyData = Base64Pem(PrivateKeyPem(clientCertificate)),
        };
        var client = new Kubernetes(configuration);
        var informers = new SharedInformerFactory(loggerFactory, TimeProvider.System);
        var namespaces = informers.For(CoreListWatches.Namespaces(client));
        BackgroundService[] controllers =
        [
            new NamespaceController(client, namespaces, loggerFactory.CreateLogger<NamespaceController>()),
            new ServiceAccountsController(
                client,
                namespaces,
                informers.For(CoreListWatches.ServiceAccounts(client, $"metadata.name={ServiceAccountsController.DefaultName}")),
                loggerFactory.CreateLogger<ServiceAccountsController>()),
            new RootCaCertPublisher(
                client,
                namespaces,
                informers.For(CoreListWatches.ConfigMaps(client, $"metadata.name={RootCaCertPublisher.ConfigMapName}")),
                ca.ExportCertificatePem() + "\n",
                loggerFactory.CreateLogger<RootCaCertPublisher>()),
        ];
        foreach (var controller in controllers)
        {
            await controller.StartAsync(cancellationToken);
        }

        informers.Start();
        return new ControllerManager(client, informers, controllers);
    }

    private static string Base64Pem(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    // The cluster PKI issues ECDSA keys only (ClusterPki).
    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the client certificate has no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var controller in _controllers)
        {
            await controller.StopAsync(stopping.Token);
            controller.Dispose();
        }

        await _informers.DisposeAsync();
        _client.Dispose();
    }
}
