using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Queue;

namespace Timonel.Controllers;

/// <summary>
/// The loop every controller shares, as kube-controller-manager's controllers are written: informer handlers only
/// turn events into keys on a <see cref="RateLimitingQueue{T}"/>; once every informer has synced, workers take keys
/// and call <see cref="SyncAsync"/>. Success forgets the key's failures; a requested requeue adds it back after the
/// delay asked (and forgets its failures: nothing failed); an exception is logged and the key retried with the
/// queue's backoff (5 ms doubling to 1000 s). A key is never synced by two workers at once.
/// </summary>
public abstract class ControllerBase : BackgroundService
{
    private readonly IReadOnlyList<ISharedInformer> _informers;
    private readonly int _workers;

    /// <param name="informers">What the controller reads: it starts working once all of them have synced.</param>
    /// <param name="workers">How many keys are synced at once (kube-controller-manager's --concurrent-*-syncs).</param>
    protected ControllerBase(ILogger logger, TimeProvider time, IReadOnlyList<ISharedInformer> informers, int workers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        Logger = logger;
        Time = time;
        _informers = informers;
        _workers = workers;
        Queue = new RateLimitingQueue<string>(time);
    }

    /// <summary>Completes once every informer the controller reads has synced: from then on its workers sync keys.</summary>
    public Task InformersSynced => Task.WhenAll(_informers.Select(i => i.Synced));

    /// <summary>The keys waiting, being synced or retried; tests look at it to see what handlers queued.</summary>
    public RateLimitingQueue<string> Queue { get; }

    protected ILogger Logger { get; }

    protected TimeProvider Time { get; }

    /// <summary>
    /// Brings the world in line with what <paramref name="key"/> names, reading through the informers' caches (their
    /// objects are shared: copy before changing one). Throw to have the key retried with backoff.
    /// </summary>
    public abstract Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Takes one key and syncs it, applying the retry policy; false once the queue has shut down (client-go
    /// controllers' processNextWorkItem). Workers loop on it; tests call it to run one step.
    /// </summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        var (key, shutDown) = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
        if (shutDown)
        {
            return false;
        }

        try
        {
            var result = await SyncAsync(key, cancellationToken).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                Queue.AddAfter(key, delay);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the key is dropped with the queue.
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "syncing {Key} failed (failure {Failures}); retrying with backoff", key, Queue.NumRequeues(key) + 1);
            Queue.AddRateLimited(key);
        }
        finally
        {
            Queue.Done(key);
        }

        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when stopped before ExecuteAsync ran at all (BackgroundService then never calls it).
            Queue.ShutDown();
        }
    }

    public override void Dispose()
    {
        Queue.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues a key for <see cref="SyncAsync"/>: what informer handlers do, and all they do.</summary>
    protected void Enqueue(string key) => Queue.Add(key);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await InformersSynced.WaitAsync(stoppingToken).ConfigureAwait(false);

            // Workers see the shutdown once the keys still queued are handed out; a worker mid-sync sees the token.
            using var stopping = stoppingToken.Register(Queue.ShutDown);
            var workers = Enumerable.Range(0, _workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None));
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Queue.ShutDown();
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await ProcessNextAsync(stoppingToken).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
