using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Queue;

namespace Timonel.Controllers.Queue;

/// <summary>
/// The loop every controller here shares (the architecture's ControllerBase): informer handlers turn events into
/// keys on a <see cref="WorkQueue"/>; once every informer has synced, one worker calls <see cref="SyncAsync"/> per
/// key, queueing it again after a delay when the sync fails or has more to do.
/// </summary>
public abstract class KeyedController : BackgroundService
{
    private static readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private readonly WorkQueue _queue = new();
    private readonly IReadOnlyList<ISharedInformer> _informers;

    /// <param name="informers">What the controller reads: it starts working once all of them have synced.</param>
    protected KeyedController(ILogger logger, IReadOnlyList<ISharedInformer> informers)
    {
        Logger = logger;
        _informers = informers;
    }

    protected ILogger Logger { get; }

    /// <summary>One pass over a key; true when there is nothing more to do for it.</summary>
    public abstract Task<bool> SyncAsync(string key, CancellationToken cancellationToken);

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues a key for <see cref="SyncAsync"/>: what informer handlers do, and all they do.</summary>
    protected void Enqueue(string key) => _queue.Add(key);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await Task.Run(() => WorkAsync(stoppingToken), stoppingToken);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (!await SyncAsync(key, stoppingToken))
                {
                    _queue.AddAfter(key, _retryDelay);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logger.LogWarning(ex, "syncing {Key} failed; retrying", key);
                _queue.AddAfter(key, _retryDelay);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }
}
