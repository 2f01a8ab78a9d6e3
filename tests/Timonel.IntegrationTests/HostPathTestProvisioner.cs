using k8s.Models;
using Timonel.Controllers.Volume;

namespace Timonel.IntegrationTests;

/// <summary>
/// The provisioner the volume tests register as <see cref="Name"/>: a hostPath volume of the size asked, pinned to
/// the node the scheduler selected (as a local-path provisioner's volumes are). It stores nothing.
/// </summary>
internal sealed class HostPathTestProvisioner : IVolumeProvisioner
{
    public const string Name = "test.timonel.io/host-path";

    public Task<V1PersistentVolumeSpec> ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken) =>
        Task.FromResult(new V1PersistentVolumeSpec
        {
            Capacity = claim.Spec.Resources.Requests,
            HostPath = new V1HostPathVolumeSource { Path = "/var/lib/timonel-test/" + claim.Metadata.Uid, Type = "DirectoryOrCreate" },
            NodeAffinity = selectedNode is null ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [selectedNode] }] }],
                },
            },
        });

    public Task DeleteAsync(V1PersistentVolume volume, CancellationToken cancellationToken) => Task.CompletedTask;
}
