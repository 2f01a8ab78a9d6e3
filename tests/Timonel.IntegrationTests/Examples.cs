namespace Timonel.IntegrationTests;

/// <summary>The manifests of the user's notes, copied into the test output from the repo's examples/.</summary>
public static class Examples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "examples");

    public static string File(string name) => Path.Combine(Directory, name);

    /// <summary>Every example that is valid (bad/ and kustomize/ excluded).</summary>
    public static IEnumerable<string> ValidManifests() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal);

    /// <summary>The valid manifests' file names, as theory data.</summary>
    public static TheoryData<string> ManifestNames()
    {
        var data = new TheoryData<string>();
        foreach (var path in ValidManifests())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }
}
