using k8s.Models;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>
/// Every node is its own machine: it exists while its Node does and is never "shut down" apart from being NotReady;
/// its providerID is <c>timonel://&lt;node name&gt;</c> (K3s' <c>k3s://</c>), its instance type <c>timonel</c>, and its
/// addresses are those its kubelet reports.
/// </summary>
public sealed class LocalInstances : IInstances
{
    public const string ProviderIdScheme = "timonel://";
    public const string InstanceType = "timonel";

    public Task<bool> InstanceExistsAsync(V1Node node, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> InstanceShutdownAsync(V1Node node, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<InstanceMetadata> InstanceMetadataAsync(V1Node node, CancellationToken cancellationToken) =>
        Task.FromResult(new InstanceMetadata(ProviderIdScheme + node.Metadata.Name, InstanceType, [.. node.Status?.Addresses ?? []]));
}
