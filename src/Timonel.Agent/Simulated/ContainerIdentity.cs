using System.Security.Cryptography;
using System.Text;

namespace Timonel.Agent.Simulated;

/// <summary>
/// The image, imageID and containerID a container status carries. containerd reports the image fully qualified
/// (docker.io/library/nginx:latest) and its digest as imageID; a simulated node makes both up, stably.
/// </summary>
internal static class ContainerIdentity
{
    /// <summary>Docker's reference normalisation: docker.io/ for an image with no registry, library/ for an official one, :latest when untagged.</summary>
    public static string Image(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : image[..slash];
        var hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        var named = hasRegistry ? image : slash < 0 ? "docker.io/library/" + image : "docker.io/" + image;
        var lastSegment = named[(named.LastIndexOf('/') + 1)..];
        return lastSegment.Contains(':', StringComparison.Ordinal) || named.Contains('@', StringComparison.Ordinal) ? named : named + ":latest";
    }

    /// <summary>repository@sha256:digest, the digest made up from the image name.</summary>
    public static string ImageId(string image)
    {
        var normalized = Image(image);
        if (normalized.Contains('@', StringComparison.Ordinal))
        {
            return normalized;
        }

        var colon = normalized.LastIndexOf(':');
        var repository = colon > normalized.LastIndexOf('/') ? normalized[..colon] : normalized;
        return $"{repository}@sha256:{Hex(normalized)}";
    }

    /// <summary>containerd://&lt;64 hex&gt;, one per pod and container.</summary>
    public static string ContainerId(string podUid, string container) => "containerd://" + Hex(podUid + "/" + container);

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
