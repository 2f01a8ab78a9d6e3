namespace Timonel.OpenApi.Tests;

internal static class RepoPaths
{
    /// <summary>The repository root: the nearest parent directory holding Timonel.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Timonel.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Timonel.slnx not found above " + AppContext.BaseDirectory);
    }
}
