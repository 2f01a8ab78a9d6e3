using k8s.Models;

namespace Timonel.Controllers.Cloud;

/// <summary>The machines behind Nodes (cloudprovider.InstancesV2): what the cloud node controllers ask.</summary>
public interface IInstances
{
    /// <summary>Whether the Node's machine still exists; a NotReady Node whose machine is gone is deleted.</summary>
    Task<bool> InstanceExistsAsync(V1Node node, CancellationToken cancellationToken);

    /// <summary>Whether the Node's machine is shut down; a NotReady Node whose machine is gets the shutdown taint.</summary>
    Task<bool> InstanceShutdownAsync(V1Node node, CancellationToken cancellationToken);

    /// <summary>The Node's providerID, instance type and addresses as the cloud knows them.</summary>
    Task<InstanceMetadata> InstanceMetadataAsync(V1Node node, CancellationToken cancellationToken);
}
