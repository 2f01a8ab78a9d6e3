namespace Timonel.Agent.Kubelet.Images;

/// <summary>
/// An image name split the way Docker normalizes it: the registry host (docker.io when the first component has no
/// '.' or ':' and is not localhost) and the repository (library/NAME for a Docker Hub name with no namespace). Whole,
/// with its tag (":latest" when none) or digest, it is the name the runtime stores: "nginx" is
/// "docker.io/library/nginx:latest", what containerd reports and status.containerStatuses shows.
/// </summary>
public sealed record ImageReference(string Host, string Repository)
{
    public const string DockerHub = "docker.io";

    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var name = image.Trim();
        if (TagOrDigest(name) is { } suffix)
        {
            name = name[..^suffix.Length];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IsHost(name[..slash]))
        {
            var host = name[..slash] == "index.docker.io" ? DockerHub : name[..slash];
            var repository = name[(slash + 1)..];
            return new ImageReference(host, host == DockerHub && !repository.Contains('/', StringComparison.Ordinal) ? "library/" + repository : repository);
        }

        return new ImageReference(DockerHub, slash < 0 ? "library/" + name : name);
    }

    /// <summary>The whole name the runtime stores the image under.</summary>
    public static string Normalize(string image) => Parse(image) + TagOrDigestOf(image);

    /// <summary>The name's ":tag" or "@sha256:…" (":latest" when it has neither).</summary>
    public static string TagOrDigestOf(string image) => TagOrDigest(image.Trim()) ?? ":latest";

    /// <summary>Whether the reference names the latest tag or none, not a digest (the API server's imagePullPolicy defaulting).</summary>
    public static bool IsLatestOrUntagged(string image) => TagOrDigest(image.Trim()) is null or ":latest";

    /// <summary>HOST/REPOSITORY, the form credential keys are matched against.</summary>
    public override string ToString() => $"{Host}/{Repository}";

    /// <summary>"@sha256:…" or ":tag" at the end of the name, or null.</summary>
    private static string? TagOrDigest(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return name[at..];
        }

        var lastColon = name.LastIndexOf(':');
        return lastColon > name.LastIndexOf('/') ? name[lastColon..] : null;
    }

    private static bool IsHost(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost";
}
