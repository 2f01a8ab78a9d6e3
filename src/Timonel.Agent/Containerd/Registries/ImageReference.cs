namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// An image name split the way Docker normalizes it: the registry host (docker.io when the first component has
/// no '.' or ':' and is not localhost) and the repository (library/NAME for a Docker Hub name with no namespace).
/// </summary>
public sealed record ImageReference(string Host, string Repository)
{
    public const string DockerHub = "docker.io";

    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var name = image;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = name[..at];
        }

        var lastColon = name.LastIndexOf(':');
        if (lastColon > name.LastIndexOf('/'))
        {
            name = name[..lastColon];
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

    /// <summary>HOST/REPOSITORY, the form credential keys are matched against.</summary>
    public override string ToString() => $"{Host}/{Repository}";

    private static bool IsHost(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost";
}
