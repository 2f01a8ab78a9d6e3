using k8s.Models;

namespace Timonel.Controllers.Cloud;

/// <summary>Where a Node's machine is (cloudprovider.Zones): its <c>topology.kubernetes.io/zone|region</c> labels.</summary>
public interface IZones
{
    /// <summary>The Node's zone and region, or null when the cloud does not place it.</summary>
    Task<CloudZone?> GetZoneAsync(V1Node node, CancellationToken cancellationToken);
}
