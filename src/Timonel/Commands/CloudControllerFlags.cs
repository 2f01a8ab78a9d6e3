using System.CommandLine;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.LeaderElection;
using Timonel.Controllers.Cloud;
using Timonel.Controllers.Volume;

namespace Timonel.Commands;

/// <summary>
/// The cloud controller manager's flags on <c>timonel server</c>: K3s' <c>--disable-cloud-controller</c>, upstream's
/// <c>--cloud-provider</c> and <c>--cloud-config</c>, and the local provider's address pool and zone.
/// </summary>
internal sealed class CloudControllerFlags
{
    public Option<string> CloudProvider { get; } = new("--cloud-provider") { Description = $"The cloud provider the cloud controller manager runs ({string.Join(", ", CloudProviders.Names)})", DefaultValueFactory = _ => CloudProviders.Local };

    public Option<string?> CloudConfig { get; } = new("--cloud-config") { Description = "The path to the cloud provider configuration file" };

    public Option<bool> DisableCloudController { get; } = new("--disable-cloud-controller") { Description = "Don't run the cloud controller manager (no load balancers, no provider node labels)" };

    public Option<string?> AddressPool { get; } = new("--lb-address-pool") { Description = "local provider: give each LoadBalancer Service one address of this IPv4 CIDR or range a-b instead of the node addresses" };

    public Option<string?> Zone { get; } = new("--cloud-zone") { Description = "local provider: the topology.kubernetes.io/zone label of every node" };

    public Option<string?> Region { get; } = new("--cloud-region") { Description = "local provider: the topology.kubernetes.io/region label of every node" };

    public IEnumerable<Option> All => [CloudProvider, CloudConfig, DisableCloudController, AddressPool, Zone, Region];

    /// <summary>
    /// The provider's settings from the flags, checked by making the provider once (a bad name or pool is a
    /// <see cref="FormatException"/> with the message to print); null when the cloud controller manager is off.
    /// </summary>
    public CloudProviderSettings? Settings(ParseResult parse)
    {
        if (parse.GetValue(DisableCloudController))
        {
            return null;
        }

        var settings = new CloudProviderSettings
        {
            ConfigFile = parse.GetValue(CloudConfig),
            LoadBalancerAddressPool = parse.GetValue(AddressPool),
            Zone = parse.GetValue(Zone),
            Region = parse.GetValue(Region),
        };
        CloudProviders.Create(parse.GetValue(CloudProvider)!, settings);
        return settings;
    }

    /// <summary>The server's own provisioners and the disks of the provider (none when the cloud controller manager is off).</summary>
    public IReadOnlyDictionary<string, IVolumeProvisioner> WithCloudDisks(ParseResult parse, CloudProviderSettings? settings, IReadOnlyDictionary<string, IVolumeProvisioner> own)
    {
        var all = new Dictionary<string, IVolumeProvisioner>(own, StringComparer.Ordinal);
        var disks = settings is null ? null : CloudProviders.Create(parse.GetValue(CloudProvider)!, settings).Volumes?.Provisioners;
        foreach (var (name, provisioner) in disks ?? new Dictionary<string, IVolumeProvisioner>())
        {
            all.TryAdd(name, provisioner);
        }

        return all;
    }

    /// <summary>
    /// The cloud controller manager, elected on its own Lease as upstream's: a fresh provider each time this server
    /// leads, so what it remembers is always read back from the cluster at its start.
    /// </summary>
    public static IComponent Component(string provider, CloudProviderSettings settings, CloudControllerManagerOptions options, ClusterConnection connection, ILoggerFactory loggerFactory) =>
        LeaseElection.Run(
            "cloud-controllers",
            LeaseElection.CloudControllerManager,
            () => new CloudControllerManager(connection, CloudProviders.Create(provider, settings), options, loggerFactory),
            connection,
            loggerFactory,
            TimeProvider.System);
}
