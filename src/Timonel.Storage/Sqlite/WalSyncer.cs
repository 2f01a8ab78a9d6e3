namespace Timonel.Storage.Sqlite;

/// <summary>
/// Makes committed write groups durable and only then acknowledges them. The writer commits with
/// synchronous=NORMAL, so a commit only writes its WAL frames into the page cache (which already survives a
/// kill -9 of the server); this thread then fsyncs the WAL file and runs the acknowledgements of every group
/// committed before that fsync began, in commit order. Together that is the guarantee of synchronous=FULL — no
/// write is acknowledged before it is on disk — but the fsync no longer holds up the writer: while one fsync runs,
/// the next groups are applied and committed, and one fsync covers all of them, as etcd's WAL does.
/// </summary>
internal sealed class WalSyncer : IAsyncDisposable
{
    private readonly DrainQueue<Action<Exception?>> _waiting = new();
    private readonly FileStream _wal;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="walPath">The database's "-wal" file; it exists once the writer connection is in WAL mode.</param>
    public WalSyncer(string walPath)
    {
        // SQLite keeps the same WAL file (it truncates rather than deletes it) while any connection is open, so one
        // descriptor opened here stays valid; fsync on it flushes what the writer's own descriptor wrote.
        _wal = new FileStream(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        // The WAL (and, in a fresh data dir, the database file) may have just been created: name them durably before
        // the first write is acknowledged, since fsync of the WAL's contents does not sync its directory entry.
        DirectorySync.Sync(Path.GetDirectoryName(Path.GetFullPath(walPath))!);
        new Thread(Run) { IsBackground = true, Name = "SQLite WAL sync" }.Start();
    }

    /// <summary>
    /// Runs <paramref name="acknowledge"/> after the next fsync of the WAL that starts after this call, with null; or
    /// with the exception when that fsync failed. Called by the writer right after each commit, in commit order.
    /// </summary>
    public void AfterNextSync(Action<Exception?> acknowledge)
    {
        ObjectDisposedException.ThrowIf(!_waiting.TryAdd(acknowledge), this);
    }

    /// <summary>Syncs and acknowledges what is still waiting, then stops. The writer must have stopped committing.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Complete();
        await _stopped.Task;
        await _wal.DisposeAsync();
    }

    private void Run()
    {
        try
        {
            var spare = new List<Action<Exception?>>();
            while (_waiting.TakeAll(spare) is { } batch)
            {
                // Everything taken was committed before this fsync starts, so this fsync makes all of it durable.
                var failure = Sync();
                foreach (var acknowledge in batch)
                {
                    acknowledge(failure);
                }

                spare = batch;
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private Exception? Sync()
    {
        try
        {
            _wal.Flush(flushToDisk: true);
            return null;
        }
        catch (IOException exception)
        {
            return exception;
        }
    }
}
