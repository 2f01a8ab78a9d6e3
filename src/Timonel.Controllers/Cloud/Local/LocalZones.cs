using k8s.Models;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>One zone and region for every node, from <c>--cloud-zone</c> and <c>--cloud-region</c>.</summary>
public sealed class LocalZones(CloudZone zone) : IZones
{
    public Task<CloudZone?> GetZoneAsync(V1Node node, CancellationToken cancellationToken) => Task.FromResult<CloudZone?>(zone);
}
