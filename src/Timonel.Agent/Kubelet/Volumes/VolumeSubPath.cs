namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// A volumeMount's subPath inside its volume (the kubelet's makeMounts with pkg/volume/util/subpath): relative, with
/// no <c>..</c>, made as a directory when missing (like the volume's root), and resolved through symlinks to a real
/// path that must still be inside the volume, so that a container cannot point a subPath at the node's files.
/// </summary>
public static class VolumeSubPath
{
    /// <summary>The host path to bind for <paramref name="subPath"/> of <paramref name="volume"/>; throws <see cref="ArgumentException"/> with the kubelet's message when it is not allowed.</summary>
    public static string Resolve(MountedVolume volume, string subPath)
    {
        if (subPath.StartsWith('/'))
        {
            throw new ArgumentException($"error SubPath `{subPath}` must not be an absolute path");
        }

        if (subPath.Split('/').Contains(".."))
        {
            throw new ArgumentException($"unable to provision SubPath `{subPath}`: must not contain '..'");
        }

        var root = RealPath(volume.HostPath);
        var path = Path.Combine(volume.HostPath, subPath);
        if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            if (volume.ReadOnly)
            {
                throw new ArgumentException($"unable to provision SubPath `{subPath}`: it does not exist in a read-only volume");
            }

            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, File.GetUnixFileMode(root));
        }

        var real = RealPath(path);
        if (real != root && !real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"subpath \"{real}\" not within volume path \"{root}\"");
        }

        return real;
    }

    private static string RealPath(string path) =>
        VolumeSyscalls.RealPath(path) ?? throw new ArgumentException($"subpath {path} does not exist");
}
