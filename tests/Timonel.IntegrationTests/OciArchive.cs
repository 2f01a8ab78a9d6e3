using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Timonel.IntegrationTests;

/// <summary>The files of an OCI image layout tarball, read whole (the test images are a few megabytes).</summary>
public sealed class OciArchive
{
    private readonly Dictionary<string, byte[]> _files;

    private OciArchive(Dictionary<string, byte[]> files) => _files = files;

    public static OciArchive Read(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is not null)
            {
                using var content = new MemoryStream();
                entry.DataStream.CopyTo(content);
                files[entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name] = content.ToArray();
            }
        }

        return new OciArchive(files);
    }

    public bool Has(string name) => _files.ContainsKey(name);

    public JsonElement Json(string name) => JsonDocument.Parse(Content(name)).RootElement;

    public byte[] Content(string name) =>
        _files.TryGetValue(name, out var content) ? content : throw new KeyNotFoundException($"the archive has no {name}");

    /// <summary>The blob a descriptor points at, after checking that its digest and size match its content.</summary>
    public byte[] Blob(JsonElement descriptor)
    {
        var digest = descriptor.GetProperty("digest").GetString()!;
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        var content = Content("blobs/sha256/" + digest["sha256:".Length..]);
        Assert.Equal(digest, Sha256Digest(content));
        Assert.Equal(descriptor.GetProperty("size").GetInt64(), content.LongLength);
        return content;
    }

    public static string Sha256Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
