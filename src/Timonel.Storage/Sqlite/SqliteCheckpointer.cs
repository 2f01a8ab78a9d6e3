using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// Moves committed pages from the WAL into the database file without making writes wait. SQLite's automatic
/// checkpoint runs inside the commit that crosses the threshold, so one unlucky write pays for copying megabytes
/// and an fsync; here the writer has that turned off and this loop copies passively from its own connection,
/// which never blocks the writer. A passive checkpoint alone cannot restart a WAL that is written to without
/// pause, so once the WAL is large and the copy has caught up, one truncating checkpoint runs on the writer
/// between batches; by then only the last few commits are left to copy, so it is short.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    // 4096 pages of 4 KiB: the WAL is cut back when it passes 16 MiB (the journal_size_limit it is then trimmed to).
    private const long TruncateAboveFrames = 4096;
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
            if (frames >= TruncateAboveFrames && copied == frames)
            {
                try
                {
                    await _writer.RunAsync(statements =>
                    {
                        statements.Get(SqliteStatements.CheckpointTruncate, null).ExecuteNonQuery();
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
