using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>configMap volumes (upstream pkg/volume/configmap): the ConfigMap's keys as files; a missing ConfigMap is an empty volume when optional.</summary>
internal sealed class ConfigMapVolumePlugin : IVolumePlugin
{
    public const string MissingKeyMessage = "configmap references non-existent config key: ";

    private readonly IPodObjects _objects;
    private readonly ContentVolume _content;

    public ConfigMapVolumePlugin(IPodObjects objects, ContentVolume content)
    {
        _objects = objects;
        _content = content;
    }

    public string? DirectoryName => "kubernetes.io~configmap";

    public bool Refreshes => true;

    public bool Handles(V1Volume volume) => volume.ConfigMap is not null;

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.ConfigMap;
        var optional = source.Optional == true;
        var configMap = await _objects.GetConfigMapAsync(context.Namespace, source.Name, cancellationToken);
        if (configMap is null && !optional)
        {
            throw context.Failure(NotFound(source.Name));
        }

        var payload = KeyToPathPayload.Build(context, KeyToPathPayload.ContentsOf(configMap), source.Items, source.DefaultMode, optional, MissingKeyMessage);
        return _content.Write(context, payload);
    }

    /// <summary>The kubelet's message for a ConfigMap it cannot find (its object cache names the resource in the singular).</summary>
    public static string NotFound(string name) => $"configmap \"{name}\" not found";
}
