using System.Threading.Channels;

namespace Timonel.Storage.Sqlite;

/// <summary>One watcher's live feed. Events up to <see cref="ReplayUntil"/> must first be read from the table.</summary>
internal sealed class WatchSubscription(string prefix, long afterRevision)
{
    public string Prefix { get; } = prefix;

    /// <summary>
    /// The watch starts after this revision. Readers see a commit before its events are published (publishing waits for
    /// the WAL fsync), so a list can report a revision the feed has not reached yet; those events are not sent again.
    /// </summary>
    public long AfterRevision { get; } = afterRevision;

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// 0 when the in-memory buffer covered the requested start (those events are already in <see cref="Events"/>);
    /// otherwise the newest revision published before this subscription, up to which the watcher replays history.
    /// </summary>
    public long ReplayUntil { get; set; }
}
