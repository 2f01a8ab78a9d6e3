using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests.Sqlite;

/// <summary>
/// The conformance suite on a temporary SQLite file. The watch buffer is tiny so that watches from older
/// revisions replay from the table, and restarts reopen the same file.
/// </summary>
public sealed class SqliteStorageBackendConformanceTests : StorageBackendConformanceTests
{
    private readonly string _directory = TempDirectory.Create();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TempDirectory.Delete(_directory);
    }

    protected override async Task<IStorageBackend> CreateBackendAsync() =>
        await SqliteStorageBackend.OpenAsync(Path.Combine(_directory, "state.db"), new SqliteStorageOptions { WatchBufferSize = 2, HistoryPageSize = 2 });
}
