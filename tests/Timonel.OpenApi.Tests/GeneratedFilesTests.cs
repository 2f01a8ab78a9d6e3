using System.IO.Compression;
using Timonel.OpenApiGen;

namespace Timonel.OpenApi.Tests;

/// <summary>
/// The server serves documents generated at development time; these tests fail when the checked-in files no longer
/// match what the generator makes of the current KubernetesClient models and resource catalog.
/// </summary>
public sealed class GeneratedFilesTests
{
    private const string Regenerate = "run tools/openapi-gen.sh and commit src/Timonel.ApiServer/OpenApi/Generated";

    private static readonly string GeneratedDirectory = Path.Combine(RepoPaths.Root, "src", "Timonel.ApiServer", "OpenApi", "Generated");

    private static readonly Lazy<IReadOnlyList<GeneratedFile>> Expected = new(() => OpenApiGenerator.Generate(Served.Resources));

    [Fact]
    public void GeneratedFiles_FileSet_MatchesGenerator()
    {
        var onDisk = Directory.GetFiles(GeneratedDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(GeneratedDirectory, f)).Order(StringComparer.Ordinal).ToList();

        Assert.True(Expected.Value.Select(f => f.Name).Order(StringComparer.Ordinal).SequenceEqual(onDisk),
            $"generated files are {string.Join(", ", onDisk)}, the generator makes {string.Join(", ", Expected.Value.Select(f => f.Name))}: {Regenerate}");
    }

    [Fact]
    public void GeneratedFiles_Content_MatchesGenerator()
    {
        foreach (var file in Expected.Value)
        {
            var path = Path.Combine(GeneratedDirectory, file.Name);
            Assert.True(File.Exists(path), $"{file.Name} is missing: {Regenerate}");
            Assert.True(file.Content.AsSpan().SequenceEqual(Read(path, file.Compressed)), $"{file.Name} is out of date: {Regenerate}");
        }
    }

    private static byte[] Read(string path, bool compressed)
    {
        if (!compressed)
        {
            return File.ReadAllBytes(path);
        }

        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }
}
