using System.Text.RegularExpressions;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// Registry credentials keyed as Docker config files key them (https://index.docker.io/v1/, registry:5000,
/// registry/namespace, *.example.com), looked up for an image as upstream's credential keyring does: a key matches
/// when its host (with per-label globs) and port equal the image's and its path is a prefix of the repository;
/// longer keys first; Docker Hub images also take the index.docker.io credentials.
/// </summary>
public sealed class DockerKeyring
{
    private const string DockerHubKey = "index.docker.io";

    private readonly Dictionary<string, List<AuthConfig>> _credentials = new(StringComparer.Ordinal);

    public void Add(string location, AuthConfig credentials)
    {
        var key = Normalize(location);
        if (key is null)
        {
            return;
        }

        if (!_credentials.TryGetValue(key, out var list))
        {
            _credentials[key] = list = [];
        }

        list.Add(credentials);
    }

    /// <summary>The credentials that apply to an image, most specific first; empty when none do.</summary>
    public IReadOnlyList<AuthConfig> Lookup(string image)
    {
        var reference = ImageReference.Parse(image);
        var target = Split(reference.ToString());
        var found = _credentials.Keys
            .OrderByDescending(key => key, StringComparer.Ordinal)
            .Where(key => Matches(Split(key), target))
            .SelectMany(key => _credentials[key])
            .ToList();
        if (found.Count == 0 && reference.Host == ImageReference.DockerHub && _credentials.TryGetValue(DockerHubKey, out var hub))
        {
            found.AddRange(hub);
        }

        return found;
    }

    /// <summary>host[:port][/path] with the scheme and a leading /v1/ or /v2/ removed, as Docker reads its config keys.</summary>
    private static string? Normalize(string location)
    {
        var text = location.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        var (host, path) = SplitPath(text);
        if (path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        return host.Length == 0 ? null : path is "" or "/" ? host.ToLowerInvariant() : host.ToLowerInvariant() + path;
    }

    private static (string Host, string Port, string Path) Split(string location)
    {
        var (hostPort, path) = SplitPath(location);
        var colon = hostPort.LastIndexOf(':');
        return colon < 0 ? (hostPort, "", path) : (hostPort[..colon], hostPort[(colon + 1)..], path);
    }

    private static (string HostPort, string Path) SplitPath(string location)
    {
        var slash = location.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (location, "") : (location[..slash], location[slash..]);
    }

    private static bool Matches((string Host, string Port, string Path) key, (string Host, string Port, string Path) target)
    {
        var keyLabels = key.Host.Split('.');
        var targetLabels = target.Host.Split('.');
        return keyLabels.Length == targetLabels.Length
            && keyLabels.Zip(targetLabels).All(pair => GlobMatches(pair.First, pair.Second))
            && key.Port == target.Port
            && target.Path.StartsWith(key.Path, StringComparison.Ordinal);
    }

    private static bool GlobMatches(string pattern, string label) =>
        !pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal)
            ? string.Equals(pattern, label, StringComparison.OrdinalIgnoreCase)
            : Regex.IsMatch(label, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
