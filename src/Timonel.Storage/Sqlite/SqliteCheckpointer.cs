using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// Moves committed pages from the WAL into the database file without making writes wait. SQLite's automatic
/// checkpoint runs inside the commit that crosses the threshold, so one unlucky write pays for copying megabytes
/// and an fsync; here the writer has that turned off and this loop copies passively from its own connection,
/// which never blocks the writer. A passive checkpoint alone cannot restart a WAL that is written to without
/// pause, so once the WAL is large and the copy has caught up, one restarting checkpoint runs on the writer
/// between batches; by then only the last few commits are left to copy, so it is short. Restart, not truncate:
/// the next commits then overwrite the WAL file's blocks from the start, which stay allocated and in the page
/// cache. After a truncation every commit appended to an empty file, and the kernel's block allocation for those
/// appends, the truncation and the fsync of the growing file's metadata took a fifth of the writer's time
/// (docs/benchmarks.md, fifth session).
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    // 4096 pages of 4 KiB: the WAL is written from its start again once it passes 16 MiB (below the
    // journal_size_limit, so the file keeps its size and its blocks).
    private const long RestartAboveFrames = 4096;
    private static readonly TimeSpan _pause = TimeSpan.FromMilliseconds(20);
    private readonly SqliteConnection _connection;
    private readonly SqliteWriter _writer;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public SqliteCheckpointer(string connectionString, SqliteWriter writer)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _writer = writer;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Something was committed; a checkpoint is due soon.</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled first; one pending signal is enough.
            }
        }
    }

    /// <summary>Copies everything to the database file and truncates the WAL (after compaction, to give space back).</summary>
    public async Task TruncateAsync(CancellationToken cancellationToken)
    {
        await Task.Run(() => Passive(), cancellationToken);
        await _writer.RunAsync(statements =>
        {
            statements.Get(SqliteStatements.CheckpointTruncate, null).ExecuteNonQuery();
            return 0;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a signal.
        }

        _connection.Dispose();
        _signal.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            var (frames, copied) = Passive();
            if (frames >= RestartAboveFrames && copied == frames)
            {
                try
                {
                    await _writer.RunAsync(statements =>
                    {
                        statements.Get(SqliteStatements.CheckpointRestart, null).ExecuteNonQuery();
                        return 0;
                    });
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }

            await Task.Delay(_pause, cancellationToken);
        }
    }

    // Returns (frames in the WAL, frames copied into the database file).
    private (long Frames, long Copied) Passive()
    {
        lock (_connection)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = SqliteStatements.CheckpointPassive;
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
        }
    }
}
