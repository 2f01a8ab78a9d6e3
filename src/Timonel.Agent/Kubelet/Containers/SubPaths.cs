namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A volumeMount's subPath on the host: relative, without "..", created with the volume's mode when missing, and
/// refused when a symlink inside the volume points it outside (upstream bind-mounts it safely for the same reason).
/// </summary>
internal static class SubPaths
{
    public static string Prepare(string volumePath, string subPath, string volumeName, string containerName)
    {
        if (Path.IsPathRooted(subPath))
        {
            throw new ContainerConfigException($"error SubPath `{subPath}` must not be an absolute path");
        }

        if (subPath.Split('/').Contains(".."))
        {
            throw new ContainerConfigException($"unable to provision SubPath `{subPath}`: must not contain '..'");
        }

        var hostPath = Path.Combine(volumePath, subPath);
        if (!Path.Exists(hostPath))
        {
            var directory = Directory.CreateDirectory(hostPath);
            if (Directory.Exists(volumePath))
            {
                directory.UnixFileMode = new DirectoryInfo(volumePath).UnixFileMode;
            }
        }

        if (!IsInside(Resolve(hostPath), Resolve(volumePath)))
        {
            throw new ContainerConfigException($"failed to prepare subPath for volumeMount \"{volumeName}\" of container \"{containerName}\"");
        }

        return hostPath;
    }

    private static string Resolve(string path)
    {
        var info = new FileInfo(path);
        var target = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        var parent = Path.GetDirectoryName(target);
        return parent is null || parent == target ? target : Path.Combine(Resolve(parent), Path.GetFileName(target));
    }

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}
