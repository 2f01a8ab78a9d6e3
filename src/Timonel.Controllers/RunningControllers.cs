using k8s;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers;

/// <summary>
/// What a controller manager holds while it runs: its client, shared informers, event broadcaster and controllers.
/// <see cref="StartAsync"/> starts each controller's loop, then the informers, and completes <c>ready</c> once every
/// controller's informers have synced; disposal stops the controllers (5 s at most), then the informers, the
/// broadcaster and the client.
/// </summary>
internal sealed class RunningControllers(Kubernetes client, SharedInformerFactory informers, EventBroadcaster events) : IAsyncDisposable
{
    private IReadOnlyList<ControllerBase> _controllers = [];

    public Kubernetes Client => client;

    public SharedInformerFactory Informers => informers;

    /// <summary>One broadcaster for the process, one recorder per controller named as upstream's.</summary>
    public EventBroadcaster Events => events;

    /// <summary>A client of the cluster, its informer factory and event broadcaster, on the system clock.</summary>
    public static RunningControllers Open(ClusterConnection connection, ILoggerFactory loggerFactory)
    {
        var client = connection.CreateClient();
        return new RunningControllers(client, new SharedInformerFactory(loggerFactory, TimeProvider.System), new EventBroadcaster(new KubernetesEventSink(client), TimeProvider.System, loggerFactory.CreateLogger<EventBroadcaster>()));
    }

    public async Task StartAsync(IReadOnlyList<ControllerBase> controllers, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        _controllers = controllers;
        foreach (var controller in controllers)
        {
            await controller.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        informers.Start();
        _ = Task.WhenAll(controllers.Select(c => c.InformersSynced))
            .ContinueWith(_ => ready.TrySetResult(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var controller in _controllers)
        {
            await controller.StopAsync(stopping.Token).ConfigureAwait(false);
            controller.Dispose();
        }

        await informers.DisposeAsync().ConfigureAwait(false);
        await events.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
    }
}
