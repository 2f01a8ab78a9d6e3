using System.Diagnostics;
using System.IO.Compression;

namespace Timonel.Agent.Containerd.Images;

/// <summary>
/// Imports image tarballs (OCI layouts or docker-archive, as <c>docker save</c>, <c>skopeo copy</c> and
/// <c>podman save</c> write them) into containerd's k8s.io namespace, the one the CRI plugin serves. Import is not
/// part of the CRI, so this runs containerd's own client, ctr, against the agent's socket, as K3s imports its air-gap
/// images through containerd's client library. Compressed tarballs are decompressed here and streamed to ctr's stdin,
/// since ctr reads only plain tar.
/// </summary>
public sealed class ImageImporter(string socketPath, string? snapshotter = null, string ctrBinary = ImageImporter.DefaultCtr)
{
    public const string DefaultCtr = "ctr";

    /// <summary>containerd's namespace for the CRI plugin's images and containers.</summary>
    public const string CriNamespace = "k8s.io";

    /// <summary>Imports one tarball; answers the image names it held.</summary>
    /// <exception cref="ImageImportException">The file is missing, not an image tarball, or ctr failed.</exception>
    public async Task<IReadOnlyList<string>> ImportAsync(string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new ImageImportException($"{file}: no such file");
        }

        var compression = ImageArchive.CompressionOf(file) ?? ImageArchiveCompression.None;
        var start = new ProcessStartInfo(ctrBinary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = compression != ImageArchiveCompression.None };
        foreach (var argument in Arguments(compression == ImageArchiveCompression.None ? Path.GetFullPath(file) : "-"))
        {
            start.ArgumentList.Add(argument);
        }

        using var ctr = StartOrExplain(start);
        var output = ctr.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = ctr.StandardError.ReadToEndAsync(cancellationToken);
        if (compression != ImageArchiveCompression.None)
        {
            await FeedAsync(file, compression, ctr.StandardInput, cancellationToken);
        }

        await ctr.WaitForExitAsync(cancellationToken);
        if (ctr.ExitCode != 0)
        {
            throw new ImageImportException($"{file}: import failed: {(await errors).Trim()}");
        }

        return ImportedNames(await output);
    }

    private IEnumerable<string> Arguments(string input)
    {
        yield return "--address";
        yield return socketPath;
        yield return "--namespace";
        yield return CriNamespace;
        yield return "images";
        yield return "import";
        if (snapshotter is not null)
        {
            // Unpack for the snapshotter the CRI plugin uses, so the first container needs no unpacking.
            yield return "--snapshotter";
            yield return snapshotter;
        }

        // No --all-platforms: saved images often list every platform in their index but carry the layers of one,
        // and importing only this machine's platform is what a node can run anyway.
        yield return input;
    }

    private Process StartOrExplain(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new ImageImportException($"could not start {ctrBinary}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ImageImportException($"could not run {ctrBinary} ({ex.Message}): install the Debian package containerd");
        }
    }

    /// <summary>Streams the decompressed tar into ctr's stdin and closes it, so ctr sees the end.</summary>
    private static async Task FeedAsync(string file, ImageArchiveCompression compression, StreamWriter ctrInput, CancellationToken cancellationToken)
    {
        try
        {
            if (compression == ImageArchiveCompression.Gzip)
            {
                await using var source = File.OpenRead(file);
                await using var gzip = new GZipStream(source, CompressionMode.Decompress);
                await gzip.CopyToAsync(ctrInput.BaseStream, cancellationToken);
            }
            else
            {
                await ZstdDecompressAsync(file, ctrInput.BaseStream, cancellationToken);
            }
        }
        catch (IOException)
        {
            // ctr stopped reading (it failed): its exit code and stderr tell why.
        }
        catch (InvalidDataException ex)
        {
            throw new ImageImportException($"{file}: not gzip data ({ex.Message})");
        }
        finally
        {
            CloseQuietly(ctrInput);
        }
    }

    private static void CloseQuietly(StreamWriter input)
    {
        try
        {
            input.Close();
        }
        catch (IOException)
        {
            // ctr is gone already.
        }
    }

    /// <summary>.NET has no zstd; Debian's zstd tool does it.</summary>
    private static async Task ZstdDecompressAsync(string file, Stream destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("zstd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-dc", file })
        {
            start.ArgumentList.Add(argument);
        }

        Process zstd;
        try
        {
            zstd = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ImageImportException($"{file}: zstd tarballs need the zstd tool (Debian package zstd)");
        }

        using (zstd)
        {
            var errors = zstd.StandardError.ReadToEndAsync(cancellationToken);
            await zstd.StandardOutput.BaseStream.CopyToAsync(destination, cancellationToken);
            await zstd.WaitForExitAsync(cancellationToken);
            if (zstd.ExitCode != 0)
            {
                throw new ImageImportException($"{file}: not zstd data ({(await errors).Trim()})");
            }
        }
    }

    /// <summary>ctr prints "unpacking NAME (sha256:...)...done" per image it unpacks.</summary>
    private static List<string> ImportedNames(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("unpacking ", StringComparison.Ordinal))
            .Select(line => line["unpacking ".Length..].Split(' ')[0])
            .ToList();
}
