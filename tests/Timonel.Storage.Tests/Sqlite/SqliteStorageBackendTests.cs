using Microsoft.Data.Sqlite;
using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests.Sqlite;

public sealed class SqliteStorageBackendTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Fact]
    public async Task CompactAsync_AfterChurn_ShrinksTheFileBackToTheLiveData()
    {
        var path = Path.Combine(_directory, "state.db");
        await using var store = await SqliteStorageBackend.OpenAsync(path);
        var keys = Enumerable.Range(0, 10).Select(i => $"/churn/{i}").ToArray();
        var revisions = new long[keys.Length];
        var value = new byte[4096];
        for (var i = 0; i < keys.Length; i++)
        {
            revisions[i] = (await store.CreateAsync(keys[i], value)).Revision;
        }

        for (var round = 0; round < 300; round++)
        {
            var results = await Task.WhenAll(keys.Select((key, i) => store.UpdateAsync(key, value, revisions[i])));
            revisions = [.. results.Select(result => result.Revision)];
        }

        var churned = FileSize(path);
        await store.CompactAsync(await store.CurrentRevisionAsync());
        var compacted = FileSize(path);

        Assert.True(churned > 12_000_000, $"history should take room before compaction, took {churned} bytes");
        Assert.True(compacted < 1_000_000, $"compaction left {compacted} bytes");
        Assert.Equal(keys.Length, (await store.ListAsync("/churn/", ListOptions.Latest)).Items.Count);
    }

    [Fact]
    public async Task UpdateAsync_WritingFarMoreThanTheWalLimit_KeepsTheWalFileBounded()
    {
        var path = Path.Combine(_directory, "state.db");
        await using var store = await SqliteStorageBackend.OpenAsync(path);
        var keys = Enumerable.Range(0, 8).Select(i => $"/big/{i}").ToArray();
        var value = new byte[64 * 1024];
        var revisions = await Task.WhenAll(keys.Select(async key => (await store.CreateAsync(key, value)).Revision));
        long largestWal = 0;

        // 8 x 150 x 64 KiB: about 75 MiB through the WAL, several times the 16 MiB at which it is restarted.
        for (var round = 0; round < 150; round++)
        {
            var results = await Task.WhenAll(keys.Select((key, i) => store.UpdateAsync(key, value, revisions[i])));
            revisions = [.. results.Select(result => result.Revision)];
            largestWal = Math.Max(largestWal, new FileInfo(path + "-wal").Length);
        }

        Assert.True(largestWal < 40L * 1024 * 1024, $"the WAL grew to {largestWal} bytes");
    }

    [Fact]
    public async Task WatchAsync_HistoryBeyondBufferAndPages_ReplaysEveryEventOnce()
    {
        var options = new SqliteStorageOptions { WatchBufferSize = 10, HistoryPageSize = 50 };
        await using var store = await SqliteStorageBackend.OpenAsync(Path.Combine(_directory, "state.db"), options);
        var start = await store.CurrentRevisionAsync();
        for (var i = 0; i < 300; i++)
        {
            // Writes under another prefix make pages that the watched prefix only partly fills.
            await Task.WhenAll(store.CreateAsync($"/watched/{i:D4}", new byte[] { 1 }), store.CreateAsync($"/other/{i:D4}", new byte[] { 2 }));
        }

        await using var watch = new WatchReader(store, "/watched/", start);
        var events = await watch.TakeAsync(300);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"/watched/{i:D4}"), events.Select(e => e.Current.Key));
        Assert.True(await watch.IsQuietAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task OpenAsync_ExistingFile_KeepsRevisionsAndCompaction()
    {
        var path = Path.Combine(_directory, "state.db");
        long revision;
        await using (var first = await SqliteStorageBackend.OpenAsync(path))
        {
            var created = await first.CreateAsync("/a", new byte[] { 1 });
            revision = (await first.UpdateAsync("/a", new byte[] { 2 }, created.Revision)).Revision;
            await first.CompactAsync(revision);
        }

        await using var second = await SqliteStorageBackend.OpenAsync(path);

        Assert.Equal(revision, await second.CurrentRevisionAsync());
        Assert.Equal(revision, await second.CompactedRevisionAsync());
        Assert.Equal(revision + 1, (await second.CreateAsync("/b", new byte[] { 3 })).Revision);
    }

    [Fact]
    public async Task OpenAsync_FileWithTheOldLatestTable_AnswersFromTheLogAndDropsTheTable()
    {
        var path = Path.Combine(_directory, "state.db");
        long updated;
        await using (var first = await SqliteStorageBackend.OpenAsync(path))
        {
            var created = await first.CreateAsync("/a", new byte[] { 1 });
            updated = (await first.UpdateAsync("/a", new byte[] { 2 }, created.Revision)).Revision;
            var doomed = await first.CreateAsync("/b", new byte[] { 3 });
            await first.DeleteAsync("/b", doomed.Revision);
        }

        // Files written before 2026-11-25 also kept a table of each live key's newest row; a stale one must not be read.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE latest (name TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO latest (name, id) VALUES ('/a', 1), ('/b', 3);
                """;
            command.ExecuteNonQuery();
        }

        await using var second = await SqliteStorageBackend.OpenAsync(path);

        var a = await second.GetAsync("/a");
        Assert.Equal(updated, a?.ModRevision);
        Assert.Equal(new byte[] { 2 }, a?.Value.ToArray());
        Assert.Null(await second.GetAsync("/b"));
        Assert.Equal(["/a"], (await second.ListAsync("/", ListOptions.Latest)).Items.Select(item => item.Key));
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'latest'";
        Assert.Equal(0L, (long)tables.ExecuteScalar()!);
    }

    [Fact]
    public async Task OpenAsync_FileFromANewerFormat_RefusesItAndLeavesItAsItWas()
    {
        var path = Path.Combine(_directory, "state.db");
        await using (var first = await SqliteStorageBackend.OpenAsync(path))
        {
            await first.CreateAsync("/a", new byte[] { 1 });
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SqliteStorageBackend.OpenAsync(path));

        Assert.Contains("format 99, written by a newer Timonel", error.Message, StringComparison.Ordinal);
        using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(99L, (long)version.ExecuteScalar()!);
    }

    private static long FileSize(string path) =>
        new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
}
