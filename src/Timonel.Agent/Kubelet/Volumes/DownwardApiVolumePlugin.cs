using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>downwardAPI volumes (upstream pkg/volume/downwardapi): the pod's metadata and its containers' resources as files.</summary>
internal sealed class DownwardApiVolumePlugin : IVolumePlugin
{
    private readonly ContentVolume _content;
    private readonly IReadOnlyDictionary<string, ResourceQuantity> _nodeAllocatable;

    public DownwardApiVolumePlugin(ContentVolume content, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        _content = content;
        _nodeAllocatable = nodeAllocatable;
    }

    public string? DirectoryName => "kubernetes.io~downward-api";

    public bool Refreshes => true;

    public bool Handles(V1Volume volume) => volume.DownwardAPI is not null;

    public Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.DownwardAPI;
        var payload = DownwardApiPayload.Build(context, source.Items, source.DefaultMode, _nodeAllocatable);
        return Task.FromResult(_content.Write(context, payload));
    }
}
