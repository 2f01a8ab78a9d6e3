namespace Timonel.Agent.Containerd.Images;

/// <summary>The image tarballs the agent imports, by how they are compressed.</summary>
public enum ImageArchiveCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>Which files are image tarballs: OCI or docker-archive tars, plain, gzip or zstd (K3s' air-gap suffixes).</summary>
public static class ImageArchive
{
    private static readonly (string Suffix, ImageArchiveCompression Compression)[] _suffixes =
    [
        (".tar", ImageArchiveCompression.None),
        (".tar.gz", ImageArchiveCompression.Gzip),
        (".tgz", ImageArchiveCompression.Gzip),
        (".tar.zst", ImageArchiveCompression.Zstd),
        (".tzst", ImageArchiveCompression.Zstd),
    ];

    /// <summary>The compression a file name says, or null when it is no image tarball.</summary>
    public static ImageArchiveCompression? CompressionOf(string path)
    {
        foreach (var (suffix, compression) in _suffixes)
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return compression;
            }
        }

        return null;
    }
}
