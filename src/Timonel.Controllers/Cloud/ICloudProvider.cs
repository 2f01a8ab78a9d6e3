using k8s;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// What a cloud offers the cluster (k8s.io/cloud-provider's cloudprovider.Interface): each part is optional, and a
/// provider without one answers null, as upstream's answer (nil, false). The cloud controller manager runs the
/// controllers whose part the provider has: the service controller over <see cref="LoadBalancer"/>, the node
/// controllers over <see cref="Instances"/> and <see cref="Zones"/>; the controller manager takes the volume
/// provisioners of <see cref="Volumes"/>.
/// </summary>
public interface ICloudProvider
{
    /// <summary>The name <c>--cloud-provider</c> gives (upstream's ProviderName).</summary>
    string Name { get; }

    /// <summary>
    /// Called once the cloud controller manager leads, before its controllers start (upstream's Initialize): the
    /// provider may read the cluster through <paramref name="client"/>, e.g. to learn what it already gave out.
    /// </summary>
    Task InitializeAsync(IKubernetes client, CancellationToken cancellationToken);

    /// <summary>Load balancers for Services of type LoadBalancer, or null when the cloud has none.</summary>
    ILoadBalancer? LoadBalancer { get; }

    /// <summary>The machines behind Nodes (upstream's InstancesV2), or null.</summary>
    IInstances? Instances { get; }

    /// <summary>The zone and region of a Node, or null when the cloud has no zones.</summary>
    IZones? Zones { get; }

    /// <summary>The disks the cloud provides (the hooks the persistent volume controller uses), or null.</summary>
    ICloudVolumes? Volumes { get; }
}
