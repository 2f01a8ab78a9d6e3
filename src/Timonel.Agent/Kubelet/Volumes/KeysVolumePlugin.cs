using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// configMap and secret volumes (upstream pkg/volume/configmap and pkg/volume/secret): the object's keys as files; a
/// missing object is an empty volume when optional. One instance serves one of the two kinds.
/// </summary>
internal sealed class KeysVolumePlugin : IVolumePlugin
{
    private readonly KeySourceFiles _files;
    private readonly ContentVolume _content;
    private readonly bool _secrets;

    private KeysVolumePlugin(KeySourceFiles files, ContentVolume content, bool secrets)
    {
        _files = files;
        _content = content;
        _secrets = secrets;
    }

    public string? DirectoryName => _secrets ? "kubernetes.io~secret" : "kubernetes.io~configmap";

    public bool Refreshes => true;

    public static KeysVolumePlugin ConfigMaps(KeySourceFiles files, ContentVolume content) => new(files, content, secrets: false);

    public static KeysVolumePlugin Secrets(KeySourceFiles files, ContentVolume content) => new(files, content, secrets: true);

    public bool Handles(V1Volume volume) => _secrets ? volume.Secret is not null : volume.ConfigMap is not null;

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var (source, defaultMode) = _secrets
            ? (KeySource.Of(context.Volume.Secret), context.Volume.Secret.DefaultMode)
            : (KeySource.Of(context.Volume.ConfigMap), context.Volume.ConfigMap.DefaultMode);
        return _content.Write(context, await _files.ReadAsync(context, source, defaultMode, cancellationToken), inMemory: _secrets);
    }
}
