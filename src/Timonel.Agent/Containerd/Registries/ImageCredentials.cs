using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// The credentials to pull an image with, in the order to try them (as upstream's kubelet tries each): first the
/// pod's imagePullSecrets that match the image's registry, then the node's registries.yaml auth for that registry
/// or, when the registry is mirrored (by its own entry or the "*" one), for its mirror endpoints; a host without a
/// config of its own takes the "*" config's. No credentials means an anonymous pull.
/// The AuthConfigs carry no server address, so containerd offers them to whichever mirror serves the pull.
/// </summary>
public sealed class ImageCredentials(RegistriesFile registries)
{
    /// <param name="pullSecrets">The pod's imagePullSecrets that exist; unusable ones are reported through <paramref name="problems"/>.</param>
    public IReadOnlyList<AuthConfig> For(string image, IEnumerable<V1Secret> pullSecrets, ICollection<string>? problems = null)
    {
        var keyring = new DockerKeyring();
        foreach (var secret in pullSecrets)
        {
            if (DockerConfigSecrets.AddTo(keyring, secret) is { } problem)
            {
                problems?.Add(problem);
            }
        }

        var found = keyring.Lookup(image).ToList();
        found.AddRange(FromRegistries(ImageReference.Parse(image).Host));
        return found;
    }

    private IEnumerable<AuthConfig> FromRegistries(string host)
    {
        var hosts = new List<string> { host };
        if (registries.MirrorFor(host) is { } mirror)
        {
            hosts.AddRange(mirror.EndpointUris.Select(RegistryEndpoint.HostOf));
        }

        return hosts.Distinct(StringComparer.Ordinal)
            .Select(h => registries.ConfigFor(h)?.Auth)
            .OfType<RegistryAuth>()
            .Distinct()
            .Select(auth => new AuthConfig
            {
                Username = auth.Username ?? "",
                Password = auth.Password ?? "",
                Auth = auth.Auth ?? "",
                IdentityToken = auth.IdentityToken ?? "",
            });
    }
}
