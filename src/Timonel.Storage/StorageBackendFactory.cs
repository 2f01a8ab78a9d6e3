using Timonel.Storage.Etcd;
using Timonel.Storage.Sqlite;

namespace Timonel.Storage;

/// <summary>Picks the backend from K3s' <c>--datastore-endpoint</c> value.</summary>
public static class StorageBackendFactory
{
    private const string SqliteScheme = "sqlite://";

    /// <summary>
    /// Empty: SQLite at <c><paramref name="dataDir"/>/db/state.db</c> (K3s' default datastore is SQLite under its
    /// data dir too). <c>sqlite://PATH</c>: SQLite at PATH. <c>http://…</c> or <c>https://…</c>, optionally
    /// several separated by commas: etcd, over TLS with <paramref name="etcdTls"/> when given. Anything else (K3s also
    /// takes mysql:// and postgres://) is refused.
    /// </summary>
    public static async Task<IStorageBackend> CreateAsync(string? datastoreEndpoint, string dataDir, EtcdTlsFiles? etcdTls = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(datastoreEndpoint))
        {
            return await SqliteStorageBackend.OpenAsync(DefaultSqlitePath(dataDir), cancellationToken: cancellationToken);
        }

        if (datastoreEndpoint.StartsWith(SqliteScheme, StringComparison.OrdinalIgnoreCase))
        {
            return await SqliteStorageBackend.OpenAsync(datastoreEndpoint[SqliteScheme.Length..], cancellationToken: cancellationToken);
        }

        if (datastoreEndpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || datastoreEndpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new EtcdStorageBackend(datastoreEndpoint, etcdTls);
        }

        throw new NotSupportedException($"datastore endpoint '{datastoreEndpoint}' is not supported: use an empty value (SQLite), sqlite://PATH, or etcd http(s)://HOST:PORT[,...]");
    }

    /// <summary>Where the default SQLite datastore lives under a data dir.</summary>
    public static string DefaultSqlitePath(string dataDir) => Path.Combine(dataDir, "db", "state.db");
}
