using System.Threading.Channels;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// One client's subscription to the watch cache. A watcher that falls too far behind is closed (as upstream's
/// cacher terminates slow watchers); the client re-watches from its last resourceVersion.
/// </summary>
public sealed class Watcher : IDisposable
{
    private const int Capacity = 10_000;
    private readonly Channel<CachedEvent> _channel = Channel.CreateBounded<CachedEvent>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Action<Watcher> _onDispose;

    internal Watcher(string prefix, long afterRevision, Action<Watcher> onDispose)
    {
        Prefix = prefix;
        AfterRevision = afterRevision;
        _onDispose = onDispose;
    }

    public string Prefix { get; }

    /// <summary>
    /// The watch starts after this revision. Usually the cache is already there; when the start came from the store
    /// (the cache was behind), events the cache applies later at or below it were in that start already.
    /// </summary>
    public long AfterRevision { get; }

    public ChannelReader<CachedEvent> Events => _channel.Reader;

    /// <summary>Queues an event; closes the watcher when its buffer is full.</summary>
    internal void Offer(CachedEvent change)
    {
        if (!_channel.Writer.TryWrite(change))
        {
            _channel.Writer.TryComplete();
        }
    }

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _onDispose(this);
    }
}
