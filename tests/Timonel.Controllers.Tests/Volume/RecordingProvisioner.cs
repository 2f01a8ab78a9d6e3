using k8s.Models;
using Timonel.Controllers.Volume;

namespace Timonel.Controllers.Tests.Volume;

/// <summary>A provisioner that makes a hostPath volume of the size asked on the node named, and records its calls.</summary>
internal sealed class RecordingProvisioner : IVolumeProvisioner
{
    public List<(string Claim, string? Node)> Provisioned { get; } = [];

    public List<string> Deleted { get; } = [];

    /// <summary>Removing storage fails with this message while set.</summary>
    public string? DeleteFailure { get; set; }

    public Task<V1PersistentVolumeSpec> ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken)
    {
        Provisioned.Add((claim.Metadata.Name, selectedNode));
        return Task.FromResult(new V1PersistentVolumeSpec
        {
            Capacity = claim.Spec.Resources.Requests,
            HostPath = new V1HostPathVolumeSource { Path = "/var/lib/test/" + claim.Metadata.Uid },
        });
    }

    public Task DeleteAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (DeleteFailure is not null)
        {
            return Task.FromException(new InvalidOperationException(DeleteFailure));
        }

        Deleted.Add(volume.Metadata.Name);
        return Task.CompletedTask;
    }
}
