using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Client.Informers;

namespace Timonel.Testing.Informers;

/// <summary>
/// A <see cref="SharedInformer{T}"/> with no API server behind it: the test fills its cache by hand, and every
/// change reaches the handlers synchronously, through the informer's own event path, as a watch event would.
/// Synced from the start unless asked otherwise.
/// </summary>
public sealed class TestInformer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public TestInformer(bool synced = true)
    {
        Informer = new SharedInformer<T>(new ListWatch<T>("test informer", NoList, NoWatch), NullLogger.Instance, TimeProvider.System);
        if (synced)
        {
            MarkSynced();
        }
    }

    /// <summary>What the code under test is given.</summary>
    public SharedInformer<T> Informer { get; }

    /// <summary>Stores each object (new or replacing one of the same key), telling the handlers as a watch would.</summary>
    public void Add(params IEnumerable<T> objects)
    {
        foreach (var obj in objects)
        {
            Informer.Apply(WatchEventType.Modified, obj);
        }
    }

    public void Delete(T obj) => Informer.Apply(WatchEventType.Deleted, obj);

    /// <summary>Completes <see cref="SharedInformer{T}.Synced"/>, as the informer's first list would.</summary>
    public void MarkSynced() => Informer.MarkSynced();

    private static Task<(IReadOnlyList<T> Items, string ResourceVersion)> NoList(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a test informer is filled by hand; it has no API server to list");

    private static IAsyncEnumerable<(WatchEventType Type, T Object)> NoWatch(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a test informer is filled by hand; it has no API server to watch");
}
