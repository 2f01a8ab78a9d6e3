using System.IO.Compression;
using Timonel.ApiServer.Registry;
using Timonel.OpenApiGen;

// Regenerates the API server's OpenAPI documents and field catalog (tools/openapi-gen.sh runs this):
//   dotnet run --project tools/Timonel.OpenApiGen -- [OUTPUT_DIR]   (default: src/Timonel.ApiServer/OpenApi/Generated)
var output = args.Length > 0 ? args[0] : Path.Combine(RepoRoot(), "src", "Timonel.ApiServer", "OpenApi", "Generated");
var files = OpenApiGenerator.Generate(ResourceCatalog.BuiltIn(new BuiltInStrategies()));

// Start from an empty directory so a group-version no longer served leaves no stale document behind.
if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
}

foreach (var file in files)
{
    var path = Path.Combine(output, file.Name);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    using var stream = File.Create(path);
    if (file.Compressed)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize);
        gzip.Write(file.Content);
    }
    else
    {
        stream.Write(file.Content);
    }
}

Console.WriteLine($"wrote {files.Count} files to {output}");

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Timonel.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository or pass the output directory");
}
