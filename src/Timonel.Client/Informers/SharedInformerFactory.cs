using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Informers;

/// <summary>
/// Hands out one informer per list-watch (kind and selectors), however many controllers ask, so a cluster's
/// namespaces are watched once for all of them (client-go's SharedInformerFactory).
/// </summary>
public sealed class SharedInformerFactory : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<(Type Kind, string Description), ISharedInformer> _informers = [];

    public SharedInformerFactory(ILoggerFactory loggerFactory, TimeProvider time)
    {
        _loggerFactory = loggerFactory;
        _time = time;
    }

    /// <summary>The informer for <paramref name="source"/>, created on first request; started by <see cref="Start"/>.</summary>
    public SharedInformer<T> For<T>(ListWatch<T> source)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (!_informers.TryGetValue((typeof(T), source.Description), out var informer))
            {
                informer = new SharedInformer<T>(source, _loggerFactory.CreateLogger($"Timonel.Client.Informers.{typeof(T).Name}"), _time);
                _informers[(typeof(T), source.Description)] = informer;
            }

            return (SharedInformer<T>)informer;
        }
    }

    /// <summary>Starts every informer handed out so far (those already running are left alone).</summary>
    public void Start()
    {
        lock (_lock)
        {
            foreach (var informer in _informers.Values)
            {
                informer.Start();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ISharedInformer> informers;
        lock (_lock)
        {
            informers = [.. _informers.Values];
            _informers.Clear();
        }

        foreach (var informer in informers)
        {
            await informer.DisposeAsync();
        }
    }
}
