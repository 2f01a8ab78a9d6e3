using System.Text.RegularExpressions;
using Timonel.Agent.Kubelet.Images;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// registries.yaml's <c>mirrors.HOST.rewrite</c>: the repository path of an image of HOST (or of any host, under the
/// "*" mirror) rewritten by the first pattern that matches, in the file's order, when the image is pulled from the
/// mirror's endpoints. K3s' containerd applies it per request; containerd 1.6 cannot, so the kubelet pulls the
/// rewritten name instead: the host stays (its hosts.toml sends the pull to the same endpoints, never to the public
/// registry) and only the path changes, docker.io/rancher/pause:3.6 becoming docker.io/mirrorproject/rancher/pause:3.6.
/// </summary>
public static class RepositoryRewrite
{
    private static readonly TimeSpan _matchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Why the pattern is not a regular expression, or null when it is.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, _matchTimeout);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The whole name to pull instead of <paramref name="image"/>, or null when no rewrite applies.</summary>
    public static string? Apply(RegistriesFile registries, string image)
    {
        var reference = ImageReference.Parse(image);
        var mirror = registries.MirrorFor(reference.Host);
        if (mirror is null || !mirror.EndpointUris.Any())
        {
            // Rewrites apply to the mirror endpoints only (K3s); without endpoints the pull goes to the registry itself.
            return null;
        }

        foreach (var (pattern, replacement) in mirror.Rewrite ?? [])
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, _matchTimeout);
            if (regex.IsMatch(reference.Repository))
            {
                var repository = regex.Replace(reference.Repository, replacement ?? "");
                return repository == reference.Repository || repository.Length == 0
                    ? null
                    : $"{reference.Host}/{repository}{ImageReference.TagOrDigestOf(image)}";
            }
        }

        return null;
    }
}
