using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Timonel.Controllers.Namespace;

namespace Timonel.Controllers;

/// <summary>
/// Runs the controllers (kube-controller-manager's role) as clients of an API server, through a kubeconfig.
/// </summary>
public sealed class ControllerManager : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly IReadOnlyList<BackgroundService> _controllers;

    private ControllerManager(Kubernetes client, IReadOnlyList<BackgroundService> controllers)
    {
        _client = client;
        _controllers = controllers;
    }

    public static async Task<ControllerManager> StartAsync(string kubeconfigPath, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
        BackgroundService[] controllers = [new NamespaceController(client, loggerFactory.CreateLogger<NamespaceController>())];
        foreach (var controller in controllers)
        {
            await controller.StartAsync(cancellationToken);
        }

        return new ControllerManager(client, controllers);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var controller in _controllers)
        {
            await controller.StopAsync(stopping.Token);
            controller.Dispose();
        }

        _client.Dispose();
    }
}
