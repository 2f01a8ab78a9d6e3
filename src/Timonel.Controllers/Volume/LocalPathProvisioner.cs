using k8s.Models;

namespace Timonel.Controllers.Volume;

/// <summary>
/// The <c>timonel.io/local-path</c> provisioner (after rancher's local-path-provisioner, which K3s ships): each claim
/// gets a hostPath volume <c>&lt;storage&gt;/&lt;pv&gt;_&lt;namespace&gt;_&lt;claim&gt;</c> (DirectoryOrCreate), tied by node
/// affinity to the node the scheduler chose when the class waits for the first consumer. The directory is made and
/// removed on that node: here when it is this machine's own node (or the volume is tied to none), else through
/// <see cref="INodeDirectories"/> (helper pods on the node). It is open to every user, as rancher's is.
/// </summary>
public sealed class LocalPathProvisioner : IVolumeProvisioner
{
    public const string Name = "timonel.io/local-path";

    private const string HostnameLabel = "kubernetes.io/hostname";
    private const UnixFileMode OpenToAll = (UnixFileMode)0b111_111_111;

    private readonly string _storageDirectory;
    private readonly string? _localNode;
    private readonly INodeDirectories _otherNodes;

    /// <param name="storageDirectory">Where volumes are made on every node (<c>&lt;data-dir&gt;/storage</c>).</param>
    /// <param name="localNode">The node running on this machine, if any: its volumes (and those tied to no node) are made here.</param>
    /// <param name="otherNodes">Makes and removes the directories of volumes on every other node.</param>
    public LocalPathProvisioner(string storageDirectory, string? localNode, INodeDirectories otherNodes)
    {
        _storageDirectory = Path.GetFullPath(storageDirectory);
        _localNode = localNode;
        _otherNodes = otherNodes;
    }

    public async Task<V1PersistentVolumeSpec> ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken)
    {
        if (claim.Spec?.VolumeMode == "Block")
        {
            throw new InvalidOperationException("local-path volumes are file systems: volumeMode Block is not supported");
        }

        var path = Path.Combine(_storageDirectory, $"{PersistentVolumeController.ProvisionedVolumeName(claim)}_{claim.Metadata.NamespaceProperty}_{claim.Metadata.Name}");
        if (IsHere(selectedNode))
        {
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, OpenToAll);
        }
        else
        {
            await _otherNodes.CreateAsync(selectedNode, path, cancellationToken).ConfigureAwait(false);
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

        return spec;
    }

    public async Task DeleteAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var path = volume.Spec?.HostPath?.Path;

        // Only a directory this provisioner made, directly under its storage directory, is ever removed.
        if (path is null || Path.GetDirectoryName(Path.GetFullPath(path)) != _storageDirectory)
        {
            throw new InvalidOperationException($"volume \"{volume.Metadata.Name}\" is not a local-path volume under {_storageDirectory}");
        }

        var node = NodeOf(volume);
        if (!IsHere(node))
        {
            await _otherNodes.DeleteAsync(node, Path.GetFullPath(path), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>The node a volume is tied to by the affinity <see cref="ProvisionAsync"/> gave it, if any.</summary>
    private static string? NodeOf(V1PersistentVolume volume) =>
        volume.Spec?.NodeAffinity?.Required?.NodeSelectorTerms?
            .SelectMany(term => term.MatchExpressions ?? [])
            .FirstOrDefault(requirement => requirement is { Key: HostnameLabel, OperatorProperty: "In", Values.Count: 1 })?
            .Values[0];

    private bool IsHere([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? node) => node is null || node == _localNode;
}
