namespace Timonel.Agent.Kubelet.Images;

/// <summary>
/// Image names as the runtime stores them (the docker reference grammar's familiar names made whole): a name without
/// a registry is Docker Hub's, one without a path is under library/, one without tag or digest is :latest. So
/// "nginx" is "docker.io/library/nginx:latest", which is what containerd reports and status.containerStatuses shows.
/// </summary>
public static class ImageReference
{
    public const string DefaultRegistry = "docker.io";

    public static string Normalize(string image)
    {
        var name = image.Trim();
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : name[..slash];
        // The first component is a registry only when it looks like a host: a dot, a port, or localhost.
        var hasRegistry = slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        if (!hasRegistry)
        {
            name = slash < 0 ? $"{DefaultRegistry}/library/{name}" : $"{DefaultRegistry}/{name}";
        }

        return HasTagOrDigest(name) ? name : name + ":latest";
    }

    /// <summary>Whether the reference names a tag other than latest or a digest (the API server's imagePullPolicy defaulting).</summary>
    public static bool IsLatestOrUntagged(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var normalized = Normalize(image);
        return normalized.EndsWith(":latest", StringComparison.Ordinal);
    }

    private static bool HasTagOrDigest(string name)
    {
        if (name.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        var lastSlash = name.LastIndexOf('/');
        return name.IndexOf(':', lastSlash + 1) >= 0;
    }
}
