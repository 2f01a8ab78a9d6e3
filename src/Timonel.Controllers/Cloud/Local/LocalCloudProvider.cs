using k8s;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>
/// The built-in provider (<c>--cloud-provider local</c>, the default), K3s' embedded cloud controller's role: the
/// machines are the nodes themselves, load balancers are the nodes' Service proxies (<see cref="LocalLoadBalancer"/>),
/// zones come from flags, and disks from the server's own provisioners (none here).
/// </summary>
public sealed class LocalCloudProvider : ICloudProvider
{
    public const string ProviderName = "local";

    private readonly LocalLoadBalancer _loadBalancer;

    public LocalCloudProvider(CloudProviderSettings settings)
    {
        var pool = settings.LoadBalancerAddressPool is { Length: > 0 } text ? AddressPool.Parse(text) : null;
        _loadBalancer = new LocalLoadBalancer(pool);
        Instances = new LocalInstances();
        Zones = settings.Zone is { Length: > 0 } || settings.Region is { Length: > 0 } ? new LocalZones(new CloudZone(settings.Zone ?? "", settings.Region ?? "")) : null;
    }

    public string Name => ProviderName;

    public ILoadBalancer? LoadBalancer => _loadBalancer;

    public IInstances? Instances { get; }

    public IZones? Zones { get; }

    public ICloudVolumes? Volumes { get; } = new LocalVolumes();

    public async Task InitializeAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var services = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _loadBalancer.Restore(services.Items);
    }
}
