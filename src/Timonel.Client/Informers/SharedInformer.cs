using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Informers;

/// <summary>
/// One kind's objects kept current from the API server for every controller that follows them (client-go's shared
/// informer with its reflector): list, then watch from the list's resourceVersion with bookmarks; a watch that ends
/// is resumed from the last resourceVersion seen; a 410 Gone (that version compacted away) lists again, and the
/// objects the new list lacks are reported deleted. Hand-written because KubernetesClient for C# has no informers.
/// </summary>
public sealed class SharedInformer<T> : ISharedInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private readonly ListWatch<T> _source;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<InformerHandlers<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    // Where the next watch starts: the list's version, then every event's (a watch that fails midway still resumes
    // after what it delivered); null to list again.
    private string? _resourceVersion;

    public SharedInformer(ListWatch<T> source, ILogger logger, TimeProvider time)
    {
        _source = source;
        _logger = logger;
        _time = time;
    }

    /// <summary>The cached objects: a lister that never calls the API server.</summary>
    public InformerCache<T> Cache { get; } = new();

    public Task Synced => _synced.Task;

    /// <summary>
    /// Adds a named index to the cache (see <see cref="Indexers"/> for ready-made ones), so a lister can ask for
    /// <see cref="InformerCache{T}.ByIndex"/> instead of scanning. Best added before <see cref="Start"/>; objects
    /// already cached are indexed at once.
    /// </summary>
    public void AddIndexer(string name, IndexFunc<T> indexFunc) => Cache.AddIndexer(name, indexFunc);

    /// <summary>Adds a controller's handlers; objects already cached are reported to them as added first.</summary>
    public void AddHandlers(InformerHandlers<T> handlers)
    {
        lock (_lock)
        {
            _handlers.Add(handlers);
            foreach (var obj in Cache.List())
            {
                Call(handlers.OnAdd, obj);
            }
        }
    }

    public void Start()
    {
        lock (_lock)
        {
            _running ??= Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            await _running.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _resourceVersion ??= await ListAsync(stopping).ConfigureAwait(false);
                await WatchAsync(_resourceVersion, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                _resourceVersion = null;
            }
            catch (Exception ex)
            {
                // The API server restarting or unreachable: try again shortly, from where the cache is.
                _logger.LogDebug(ex, "{Source}: list or watch failed; retrying", _source.Description);
                try
                {
                    await Task.Delay(_retryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Replaces the cache with a fresh list; answers the list's resourceVersion to watch from.</summary>
    private async Task<string> ListAsync(CancellationToken stopping)
    {
        var (items, resourceVersion) = await _source.List(stopping).ConfigureAwait(false);
        lock (_lock)
        {
            foreach (var gone in Cache.Missing(items))
            {
                Cache.Remove(gone);
                Dispatch(h => Call(h.OnDelete, gone));
            }

            foreach (var item in items)
            {
                Stored(item);
            }
        }

        MarkSynced();
        return resourceVersion;
    }

    /// <summary>Applies watch events until the watch ends, moving the version to resume from along (cleared when Gone).</summary>
    private async Task WatchAsync(string resourceVersion, CancellationToken stopping)
    {
        var gone = false;
        void OnError(Exception ex)
        {
            if (IsGone(ex))
            {
                gone = true;
            }
            else
            {
                _logger.LogDebug(ex, "{Source}: watch error", _source.Description);
            }
        }

        await foreach (var (type, obj) in _source.Watch(resourceVersion, OnError, stopping).ConfigureAwait(false))
        {
            Apply(type, obj);
            if (obj.Metadata?.ResourceVersion is { Length: > 0 } seen)
            {
                _resourceVersion = seen;
            }
        }

        if (gone)
        {
            _resourceVersion = null;
        }
    }

    /// <summary>Applies one watch event to the cache and tells the handlers; tests' informers are filled through it.</summary>
    internal void Apply(WatchEventType type, T obj)
    {
        lock (_lock)
        {
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    Stored(obj);
                    break;
                case WatchEventType.Deleted:
                    var old = Cache.Remove(obj);
                    Dispatch(h => Call(h.OnDelete, old ?? obj));
                    break;
            }
        }
    }

    internal void MarkSynced() => _synced.TrySetResult();

    private void Stored(T obj)
    {
        var old = Cache.Upsert(obj);
        Dispatch(h =>
        {
            if (old is null)
            {
                Call(h.OnAdd, obj);
            }
            else if (h.OnUpdate is { } onUpdate)
            {
                Guard(() => onUpdate(old, obj));
            }
        });
    }

    private void Dispatch(Action<InformerHandlers<T>> call)
    {
        foreach (var handlers in _handlers)
        {
            call(handlers);
        }
    }

    private void Call(Action<T>? handler, T obj)
    {
        if (handler is not null)
        {
            Guard(() => handler(obj));
        }
    }

    // A handler that throws must not stop the informer for the other controllers.
    private void Guard(Action call)
    {
        try
        {
            call();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Source}: an event handler failed", _source.Description);
        }
    }

    private static bool IsGone(Exception ex) => ex switch
    {
        KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => true,
        k8s.Autorest.HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => true,
        _ => false,
    };
}
