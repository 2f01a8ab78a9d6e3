using System.Collections.Concurrent;

namespace Timonel.ApiServer.Overload;

/// <summary>
/// At most so many open watches per user (--max-watches-per-user), so one client cannot hold the server's memory and
/// connections with watches that the in-flight limits, exempting long-running requests, never count. Upstream has no
/// such limit (priority and fairness seats only bound a watch's start); 0 turns it off.
/// </summary>
public sealed class WatchLimiter(int maxPerUser)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public int Limit => maxPerUser;

    public int OpenFor(string user) => _open.GetValueOrDefault(user);

    /// <summary>A place for one more watch of <paramref name="user"/>, released when disposed; null when the user has the most.</summary>
    public IDisposable? TryOpen(string user)
    {
        if (maxPerUser <= 0)
        {
            return Released.Instance;
        }

        while (true)
        {
            var current = _open.GetValueOrDefault(user);
            if (current >= maxPerUser)
            {
                return null;
            }

            if (current == 0 ? _open.TryAdd(user, 1) : _open.TryUpdate(user, current + 1, current))
            {
                return new Place(this, user);
            }
        }
    }

    private void Close(string user)
    {
        while (true)
        {
            var current = _open[user];
            if (current == 1 ? _open.TryRemove(new KeyValuePair<string, int>(user, 1)) : _open.TryUpdate(user, current - 1, current))
            {
                return;
            }
        }
    }

    private sealed class Place(WatchLimiter owner, string user) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Close(user);
            }
        }
    }

    private sealed class Released : IDisposable
    {
        public static Released Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
