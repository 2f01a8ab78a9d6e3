using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Timonel.Controllers.Queue;

/// <summary>
/// The loop every controller here shares: watches turn events into keys on a <see cref="WorkQueue"/> (a watch that
/// ends is started again), and one worker calls <see cref="SyncAsync"/> per key, queueing it again after a delay
/// when the sync fails or has more to do.
/// </summary>
public abstract class KeyedController : BackgroundService
{
    private static readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private readonly WorkQueue _queue = new();

    protected KeyedController(ILogger logger) => Logger = logger;

    protected ILogger Logger { get; }

    /// <summary>One pass over a key; true when there is nothing more to do for it.</summary>
    public abstract Task<bool> SyncAsync(string key, CancellationToken cancellationToken);

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An object read through the client, or null when the API server answers 404.</summary>
    protected static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The watches to follow, each yielding the keys its events concern.</summary>
    protected abstract IEnumerable<Func<CancellationToken, IAsyncEnumerable<string>>> Watches();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = Task.Run(() => WorkAsync(stoppingToken), stoppingToken);
        await Task.WhenAll(Watches().Select(watch => FollowAsync(watch, stoppingToken)));
        await worker;
    }

    private async Task FollowAsync(Func<CancellationToken, IAsyncEnumerable<string>> watch, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var key in watch(stoppingToken))
                {
                    _queue.Add(key);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                Logger.LogDebug(ex, "watch ended; watching again");
                await Task.Delay(_retryDelay, stoppingToken);
            }
        }
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
