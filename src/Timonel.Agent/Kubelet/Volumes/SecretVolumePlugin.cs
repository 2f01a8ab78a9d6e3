using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>secret volumes (upstream pkg/volume/secret): the Secret's keys as files; a missing Secret is an empty volume when optional.</summary>
internal sealed class SecretVolumePlugin : IVolumePlugin
{
    public const string MissingKeyMessage = "references non-existent secret key: ";

    private readonly IPodObjects _objects;
    private readonly ContentVolume _content;

    public SecretVolumePlugin(IPodObjects objects, ContentVolume content)
    {
        _objects = objects;
        _content = content;
    }

    public string? DirectoryName => "kubernetes.io~secret";

    public bool Refreshes => true;

    public bool Handles(V1Volume volume) => volume.Secret is not null;

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.Secret;
        var optional = source.Optional == true;
        var secret = await _objects.GetSecretAsync(context.Namespace, source.SecretName, cancellationToken);
        if (secret is null && !optional)
        {
            throw context.Failure(NotFound(source.SecretName));
        }

        var payload = KeyToPathPayload.Build(context, KeyToPathPayload.ContentsOf(secret), source.Items, source.DefaultMode, optional, MissingKeyMessage);
        return _content.Write(context, payload);
    }

    public static string NotFound(string name) => $"secret \"{name}\" not found";
}
