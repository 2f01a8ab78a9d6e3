using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// The default datastore: one SQLite file holding a revision log in the manner of K3s' kine (one row per
/// revision plus a table pointing at each key's newest row).
/// <para>
/// Durability: the file is in WAL mode, and a write's task completes only after its transaction committed and the
/// WAL was then fsynced (<see cref="WalSyncer"/>; the guarantee of <c>synchronous=FULL</c>, with one fsync shared by
/// every group committed meanwhile). An acknowledged write therefore survives the process being killed (kill -9)
/// and, on disks that honour fsync, power loss. Readers may see a commit shortly before it is acknowledged.
/// </para>
/// <para>
/// Speed: a single writer loop commits every queued write in one transaction (group commit) — see
/// <see cref="SqliteWriter"/>. Reads use a pool of separate connections and never wait for the writer.
/// Watches are fed in-process once each commit is on disk, with older history replayed from the table.
/// Compaction removes superseded rows in short steps between write batches (<see cref="SqliteCompactor"/>), and
/// WAL checkpoints run beside the writer rather than inside its commits (<see cref="SqliteCheckpointer"/>).
/// </para>
/// One process owns the file; a second process writing the same file is not supported.
/// </summary>
public sealed class SqliteStorageBackend : IStorageBackend
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WatchFanout _fanout;
    private readonly SqliteCompactor _compactor;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly SqliteStorageOptions _options;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _resume;
    private int _disposed;

    private SqliteStorageBackend(string path, StatementCache writerStatements, long revision, long compacted, long compactDone, SqliteStorageOptions options)
    {
        Path = path;
        _options = options;
        _fanout = new WatchFanout(options.WatchBufferSize, revision);
        _writer = new SqliteWriter(writerStatements, _fanout, revision, options.MaxWritesPerCommit);
        _readers = new SqliteReaderPool(ConnectionString(path));
        _checkpointer = new SqliteCheckpointer(ConnectionString(path), _writer);
        _writer.Committed = _checkpointer.Signal;
        _compactor = new SqliteCompactor(_writer, _checkpointer, options, compacted, compactDone);
        _resume = compactDone < compacted ? _compactor.ResumeAsync(_disposing.Token) : Task.CompletedTask;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The longest single compaction or vacuum step so far, i.e. the longest a write waited for compaction.</summary>
    public TimeSpan LongestCompactionStep => _compactor.LongestStep;

    /// <summary>Opens (creating when absent) the database at <paramref name="path"/>.</summary>
    public static Task<SqliteStorageBackend> OpenAsync(string path, SqliteStorageOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(ConnectionString(fullPath));
        var statements = new StatementCache(connection);
        try
        {
            connection.Open();
            Execute(connection, SqliteStatements.ConfigureNewFile);
            Execute(connection, SqliteStatements.ConfigureWriter);
            var format = statements.Scalar(SqliteStatements.ReadFileFormat, null);
            if (format > SqliteStatements.FileFormat)
            {
                throw new InvalidDataException($"{fullPath} is in SQLite datastore format {format}, written by a newer Timonel; this build reads formats up to {SqliteStatements.FileFormat}");
            }

            Execute(connection, SqliteStatements.CreateSchema);
            Execute(connection, SqliteStatements.WriteFileFormat);
            var revision = statements.Scalar(SqliteStatements.MaxRevision, null);
            var compacted = statements.Scalar(SqliteStatements.ReadMeta, null, ("$key", SqliteStatements.CompactRevisionKey));
            var done = statements.Scalar(SqliteStatements.ReadMeta, null, ("$key", SqliteStatements.CompactDoneKey));
            return Task.FromResult(new SqliteStorageBackend(fullPath, statements, revision, compacted, done, options ?? new SqliteStorageOptions()));
        }
        catch
        {
            statements.Dispose();
            throw;
        }
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_readers.Use(reader => reader.Get(key)));

    public Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(_readers.Use(reader => reader.List(prefix, options)));

    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default) =>
        Task.FromResult(_readers.Use(reader => reader.Count(prefix)));

    public Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(WriteKind.Create, key, value.ToArray(), 0, cancellationToken);

    public Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(WriteKind.Update, key, value.ToArray(), expectedRevision, cancellationToken);

    public Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(WriteKind.Delete, key, [], expectedRevision, cancellationToken);

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var compacted = _compactor.Compacted;
        if (afterRevision == 0)
        {
            // As the memory backend: from 0 means everything still retained.
            afterRevision = Math.Max(0, compacted - 1);
        }
        else if (afterRevision + 1 < compacted)
        {
            throw new CompactedException(afterRevision, compacted);
        }

        var subscription = _fanout.Subscribe(prefix, afterRevision);
        try
        {
            var next = afterRevision;
            while (next < subscription.ReplayUntil)
            {
                var from = next;
                var page = _readers.Use(reader => reader.History(prefix, from, subscription.ReplayUntil, _options.HistoryPageSize));
                foreach (var past in page)
                {
                    yield return past;
                }

                next = page.Count < _options.HistoryPageSize ? subscription.ReplayUntil : page[^1].Revision;
            }

            await foreach (var live in subscription.Events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return live;
            }
        }
        finally
        {
            _fanout.Unsubscribe(subscription);
        }
    }

    public Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default)
    {
        _fanout.RequestProgress();
        return Task.FromResult(true);
    }

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_writer.Revision);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _compactor.CompactAsync(revision, cancellationToken);
    }

    public Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_compactor.Compacted);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync();
        try
        {
            await _resume;
        }
        catch (OperationCanceledException)
        {
            // The next open resumes the compaction.
        }

        _fanout.Close();
        await _checkpointer.DisposeAsync();
        await _writer.DisposeAsync();
        _readers.Dispose();
        _compactor.Dispose();
        _disposing.Dispose();
    }

    // Pooling is off: the backend keeps its own connections, each with prepared statements.
    private static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
