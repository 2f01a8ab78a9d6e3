using System.Runtime.InteropServices;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// fsync(2) of a directory, which .NET has no API for (it refuses to open a directory as a file). A new file's name is
/// durable only once its directory is synced: the WAL syncer fsyncs the WAL's contents, but the database and WAL files
/// a fresh data dir creates would otherwise be named on disk only by SQLite's first checkpoint, and a power cut before
/// it could lose writes already acknowledged.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: a directory opens read-only without O_DIRECTORY, whose value differs between architectures.
    private const int ReadOnly = 0;

    /// <summary>Makes the entries of <paramref name="directory"/> durable; throws <see cref="IOException"/> when it cannot.</summary>
    public static void Sync(string directory)
    {
        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
