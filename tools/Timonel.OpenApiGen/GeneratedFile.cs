namespace Timonel.OpenApiGen;

/// <summary>One file of src/Timonel.ApiServer/OpenApi/Generated/: its path there and its content, uncompressed.</summary>
/// <param name="Name">The path under Generated/ ("v3/apis/apps/v1.json.gz"); a ".gz" name is stored gzip-compressed.</param>
public sealed record GeneratedFile(string Name, byte[] Content)
{
    public bool Compressed => Name.EndsWith(".gz", StringComparison.Ordinal);
}
