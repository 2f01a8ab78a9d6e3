using Microsoft.Extensions.Logging;
using Timonel.Client.LeaderElection;

namespace Timonel.Client.Components;

/// <summary>
/// A component that runs only on the server holding its lease (kube-controller-manager's and kube-scheduler's
/// --leader-elect): every server campaigns, the leader builds and runs the inner component, the others stand by.
/// Ready once the election has an answer: this server leads and the inner component is ready, or another holds the
/// lease, so a standby server does not wait forever to report itself ready.
/// </summary>
public sealed class LeaderElectedComponent : IComponent
{
    private readonly Func<IComponent> _factory;
    private readonly LeaderElector _elector;
    private readonly string _identity;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IAsyncDisposable? _owned;
    private Task _campaign = Task.CompletedTask;

    /// <param name="name">The inner component's name, for logs and start-up phases.</param>
    /// <param name="factory">Builds a fresh inner component each time this server becomes the leader.</param>
    /// <param name="owned">Disposed with this component (the election's API client and event recorder).</param>
    public LeaderElectedComponent(string name, Func<IComponent> factory, LeaderElector elector, string identity, ILogger logger, IAsyncDisposable? owned = null)
    {
        _owned = owned;
        Name = name;
        _factory = factory;
        _elector = elector;
        _identity = identity;
        _logger = logger;
    }

    public string Name { get; }

    public Task Ready => _ready.Task;

    /// <summary>True while this server holds the lease.</summary>
    public bool IsLeader => _elector.IsLeader;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _campaign = CampaignAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _campaign.ConfigureAwait(false);
        _stopping.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Upstream's kube-controller-manager exits when it loses its lease (OnStoppedLeading: "leaderelection lost") and
    // lets its supervisor restart it. Here the API server shares the process, and exiting would drop every client
    // it serves; so the inner component is stopped (its informers and workers with it) and this server campaigns
    // again, as a restarted process would, and builds a fresh inner component if it wins again.
    private async Task CampaignAsync(CancellationToken stopping)
    {
        var callbacks = new LeaderCallbacks
        {
            OnStartedLeading = LeadAsync,
            OnNewLeader = OnNewLeader,
        };
        while (!stopping.IsCancellationRequested)
        {
            await _elector.RunAsync(callbacks, stopping).ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                _logger.LogError("leaderelection lost");
            }
        }
    }

    private async Task LeadAsync(CancellationToken leading)
    {
        var inner = _factory();
        try
        {
            await inner.StartAsync(leading).ConfigureAwait(false);
            await inner.Ready.WaitAsync(leading).ConfigureAwait(false);
            _ready.TrySetResult();
            await Task.Delay(Timeout.Infinite, leading).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
        }
        finally
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnNewLeader(string identity)
    {
        if (identity == _identity || identity.Length == 0)
        {
            return;
        }

        // client-go's example OnNewLeader callback.
        _logger.LogInformation("new leader elected: {Identity}", identity);
        _ready.TrySetResult();
    }
}
