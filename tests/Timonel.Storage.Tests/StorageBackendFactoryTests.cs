using Timonel.Storage.Etcd;
using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests;

public sealed class StorageBackendFactoryTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task CreateAsync_NoEndpoint_OpensSqliteUnderTheDataDir(string? endpoint)
    {
        await using var store = await StorageBackendFactory.CreateAsync(endpoint, _directory);

        var sqlite = Assert.IsType<SqliteStorageBackend>(store);
        Assert.Equal(Path.Combine(_directory, "db", "state.db"), sqlite.Path);
        Assert.True(File.Exists(sqlite.Path));
    }

    [Fact]
    public async Task CreateAsync_SqliteUrl_OpensThatFile()
    {
        var path = Path.Combine(_directory, "elsewhere", "kine.db");

        await using var store = await StorageBackendFactory.CreateAsync("sqlite://" + path, _directory);

        Assert.Equal(path, Assert.IsType<SqliteStorageBackend>(store).Path);
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379")]
    [InlineData("http://10.0.0.1:2379,http://10.0.0.2:2379")]
    public async Task CreateAsync_HttpEndpoint_UsesEtcd(string endpoint)
    {
        await using var store = await StorageBackendFactory.CreateAsync(endpoint, _directory);

        Assert.Equal(endpoint, Assert.IsType<EtcdStorageBackend>(store).Endpoints);
    }

    [Theory]
    [InlineData("mysql://user:pass@tcp(127.0.0.1:3306)/k3s")]
    [InlineData("postgres://127.0.0.1:5432/k3s")]
    public async Task CreateAsync_UnsupportedScheme_Throws(string endpoint)
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => StorageBackendFactory.CreateAsync(endpoint, _directory));
    }
}
