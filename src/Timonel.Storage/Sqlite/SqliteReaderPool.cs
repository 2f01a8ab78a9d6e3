using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// Reader connections with their prepared statements, reused across calls. A connection is opened when none is
/// free, so concurrency is bounded by the callers; at most <see cref="MaxIdle"/> are kept when they come back.
/// </summary>
internal sealed class SqliteReaderPool(string connectionString) : IDisposable
{
    private const int MaxIdle = 64;
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private volatile bool _disposed;

    public T Use<T>(Func<SqliteReader, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _idle.TryTake(out var idle) ? idle : Open();
        try
        {
            return read(reader);
        }
        finally
        {
            if (_disposed || _idle.Count >= MaxIdle)
            {
                reader.Dispose();
            }
            else
            {
                _idle.Add(reader);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private SqliteReader Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return new SqliteReader(new StatementCache(connection));
    }
}
