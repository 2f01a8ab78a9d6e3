namespace Timonel.Controllers.Cloud;

/// <summary>
/// What <c>timonel server</c>'s flags give a provider: <c>--cloud-config</c> (a file only the provider reads, e.g.
/// an API token and region), and the built-in <c>local</c> provider's own flags.
/// </summary>
public sealed record CloudProviderSettings
{
    /// <summary>--cloud-config: the provider's configuration file, null for none.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>--lb-address-pool: a CIDR or a range a-b the local provider gives one address per Service from; null: node addresses.</summary>
    public string? LoadBalancerAddressPool { get; init; }

    /// <summary>--cloud-zone: the zone the local provider labels every Node with; null for none.</summary>
    public string? Zone { get; init; }

    /// <summary>--cloud-region: the region the local provider labels every Node with; null for none.</summary>
    public string? Region { get; init; }
}
