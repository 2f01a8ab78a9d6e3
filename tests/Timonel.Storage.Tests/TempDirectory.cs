namespace Timonel.Storage.Tests;

/// <summary>Fresh directories under the system temp dir for tests that need real files.</summary>
internal static class TempDirectory
{
    public static string Create() => Directory.CreateTempSubdirectory("timonel-storage-").FullName;

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
