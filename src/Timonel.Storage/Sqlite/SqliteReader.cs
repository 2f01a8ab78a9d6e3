using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// One read-only use of a connection at a time (the pool hands it out). Multi-statement reads run in one
/// deferred transaction, which in WAL mode is a consistent snapshot that never blocks or waits for the writer.
/// </summary>
internal sealed class SqliteReader(StatementCache statements) : IDisposable
{
    public KeyValue? Get(string key) => SqliteRows.ReadSingle(statements.Get(SqliteStatements.GetLatest, null, ("$name", key)));

    public long Count(string prefix) =>
        statements.Scalar(SqliteStatements.CountLatest, null, ("$start", prefix), ("$end", SqliteKeyRange.End(prefix)));

    public ListResult List(string prefix, ListOptions options)
    {
        using var transaction = statements.Connection.BeginTransaction(deferred: true);
        var current = statements.Scalar(SqliteStatements.MaxRevision, transaction);
        if (options.Revision > 0)
        {
            var compacted = statements.Scalar(SqliteStatements.ReadMeta, transaction, ("$key", SqliteStatements.CompactRevisionKey));
            if (options.Revision < compacted)
            {
                throw new CompactedException(options.Revision, compacted);
            }

            ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Revision, current, nameof(options));
        }

        var revision = options.Revision > 0 ? options.Revision : current;
        var latest = revision == current;
        var start = SqliteKeyRange.Start(prefix, options.StartKey);
        var end = SqliteKeyRange.End(prefix);
        // One row past the page tells whether there is a next page, and which key starts it.
        var limit = options.Limit > 0 ? options.Limit + 1 : -1;
        var items = SqliteRows.ReadAll(latest
            ? statements.Get(SqliteStatements.ListLatest, transaction, ("$start", start), ("$end", end), ("$limit", limit))
            : statements.Get(SqliteStatements.ListAtRevision, transaction, ("$start", start), ("$end", end), ("$revision", revision), ("$limit", limit)));
        string? nextKey = null;
        long remaining = 0;
        if (options.Limit > 0 && items.Count > options.Limit)
        {
            nextKey = items[^1].Key;
            items.RemoveAt(items.Count - 1);
        }

        if (nextKey is not null && options.CountRemaining)
        {
            var total = latest
                ? statements.Scalar(SqliteStatements.CountLatest, transaction, ("$start", start), ("$end", end))
                : statements.Scalar(SqliteStatements.CountAtRevision, transaction, ("$start", start), ("$end", end), ("$revision", revision));
            remaining = total - items.Count;
        }

        transaction.Commit();
        return new ListResult(items, revision, nextKey, remaining);
    }

    /// <summary>(latest revision, compaction revision) from the file.</summary>
    public (long Current, long Compacted) Revisions()
    {
        using var transaction = statements.Connection.BeginTransaction(deferred: true);
        var current = statements.Scalar(SqliteStatements.MaxRevision, transaction);
        var compacted = statements.Scalar(SqliteStatements.ReadMeta, transaction, ("$key", SqliteStatements.CompactRevisionKey));
        transaction.Commit();
        return (current, compacted);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events under <paramref name="prefix"/> with revisions in
    /// (<paramref name="after"/>, <paramref name="until"/>], oldest first, each with the version it replaced.
    /// </summary>
    public List<WatchEvent> History(string prefix, long after, long until, int limit)
    {
        using var transaction = statements.Connection.BeginTransaction(deferred: true);
        // Checked in the same snapshot as the read: a compaction that began meanwhile may have removed rows.
        var compacted = statements.Scalar(SqliteStatements.ReadMeta, transaction, ("$key", SqliteStatements.CompactRevisionKey));
        if (after + 1 < compacted)
        {
            throw new CompactedException(after, compacted);
        }

        var events = new List<WatchEvent>();
        var command = statements.Get(
            SqliteStatements.History,
            transaction,
            ("$after", after),
            ("$until", until),
            ("$start", prefix),
            ("$end", SqliteKeyRange.End(prefix)),
            ("$limit", limit));
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                events.Add(ReadEvent(reader));
            }
        }

        transaction.Commit();
        return events;
    }

    public void Dispose() => statements.Dispose();

    // Columns: c.id, c.name, c.deleted, c.create_revision, c.value, p.id, p.create_revision, p.value.
    private static WatchEvent ReadEvent(SqliteDataReader reader)
    {
        var revision = reader.GetInt64(0);
        var key = reader.GetString(1);
        var previous = reader.IsDBNull(5) ? null : new KeyValue(key, reader.GetFieldValue<byte[]>(7), reader.GetInt64(6), reader.GetInt64(5));
        return reader.GetInt64(2) != 0
            ? new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], reader.GetInt64(3), revision), previous)
            : new WatchEvent(WatchEventType.Put, new KeyValue(key, reader.GetFieldValue<byte[]>(4), reader.GetInt64(3), revision), previous);
    }
}
