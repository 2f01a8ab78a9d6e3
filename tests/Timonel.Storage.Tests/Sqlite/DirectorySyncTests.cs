using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests.Sqlite;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Sync_ExistingDirectory_Succeeds()
    {
        var directory = Directory.CreateTempSubdirectory("timonel-dirsync-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "state.db-wal"), "x");
            DirectorySync.Sync(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Sync_MissingDirectory_ThrowsIOException()
    {
        var missing = Path.Combine(Path.GetTempPath(), "timonel-missing-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<IOException>(() => DirectorySync.Sync(missing));
        Assert.Contains("errno 2", error.Message, StringComparison.Ordinal);
    }
}
