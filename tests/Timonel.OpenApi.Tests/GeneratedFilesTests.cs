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

    private static readonly string _generatedDirectory = Path.Combine(RepoPaths.Root, "src", "Timonel.ApiServer", "OpenApi", "Generated");

    private static readonly Lazy<IReadOnlyList<GeneratedFile>> _expected = new(() => OpenApiGenerator.Generate(Served.Resources));

    [Fact]
    public void GeneratedFiles_FileSet_MatchesGenerator()
    {
        var onDisk = Directory.GetFiles(_generatedDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_generatedDirectory, f)).Order(StringComparer.Ordinal).ToList();

        Assert.True(_expected.Value.Select(f => f.Name).Order(StringComparer.Ordinal).SequenceEqual(onDisk),
            $"generated files are {string.Join(", ", onDisk)}, the generator makes {string.Join(", ", _expected.Value.Select(f => f.Name))}: {Regenerate}");
    }

    [Fact]
    public void GeneratedFiles_Content_MatchesGenerator()
    {
        foreach (var file in _expected.Value)
        {
            var path = Path.Combine(_generatedDirectory, file.Name);
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
