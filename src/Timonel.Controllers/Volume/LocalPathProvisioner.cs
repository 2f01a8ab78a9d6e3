using k8s.Models;

namespace Timonel.Controllers.Volume;

/// <summary>
/// The <c>timonel.io/local-path</c> provisioner (after rancher's local-path-provisioner, which K3s ships): each claim
/// gets a hostPath volume <c>&lt;storage&gt;/&lt;pv&gt;_&lt;namespace&gt;_&lt;claim&gt;</c> (DirectoryOrCreate), tied by node
/// affinity to the node the scheduler chose when the class waits for the first consumer. The directory is made here,
/// open to every user as rancher's is, when the volume is on this machine; elsewhere the node's kubelet makes it on
/// first mount. Delete removes the directory when it is on this machine.
/// </summary>
public sealed class LocalPathProvisioner : IVolumeProvisioner
{
    public const string Name = "timonel.io/local-path";

    private const string HostnameLabel = "kubernetes.io/hostname";
    private const UnixFileMode OpenToAll = (UnixFileMode)0b111_111_111;

    private readonly string _storageDirectory;
    private readonly string? _localNode;

    /// <param name="storageDirectory">Where volumes are made (<c>&lt;data-dir&gt;/storage</c>).</param>
    /// <param name="localNode">The node running on this machine, if any: its volumes (and those tied to no node) are made here.</param>
    public LocalPathProvisioner(string storageDirectory, string? localNode)
    {
        _storageDirectory = Path.GetFullPath(storageDirectory);
        _localNode = localNode;
    }

    public Task<V1PersistentVolumeSpec> ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken)
    {
        if (claim.Spec?.VolumeMode == "Block")
        {
            throw new InvalidOperationException("local-path volumes are file systems: volumeMode Block is not supported");
        }

        var path = Path.Combine(_storageDirectory, $"{PersistentVolumeController.ProvisionedVolumeName(claim)}_{claim.Metadata.NamespaceProperty}_{claim.Metadata.Name}");
        if (selectedNode is null || selectedNode == _localNode)
        {
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, OpenToAll);
        }

        var spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity>
            {
                ["storage"] = claim.Spec?.Resources?.Requests?.TryGetValue("storage", out var size) == true ? size : new ResourceQuantity("0"),
            },
            AccessModes = claim.Spec?.AccessModes,
            HostPath = new V1HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" },
        };
        if (selectedNode is not null)
        {
            spec.NodeAffinity = new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = HostnameLabel, OperatorProperty = "In", Values = [selectedNode] }] }],
                },
            };
        }

        return Task.FromResult(spec);
    }

    public Task DeleteAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var path = volume.Spec?.HostPath?.Path;

        // Only a directory this provisioner made, directly under its storage directory, is ever removed.
        if (path is null || Path.GetDirectoryName(Path.GetFullPath(path)) != _storageDirectory)
        {
            throw new InvalidOperationException($"volume \"{volume.Metadata.Name}\" is not a local-path volume under {_storageDirectory}");
        }

        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }
}
