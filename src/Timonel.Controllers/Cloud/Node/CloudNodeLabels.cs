namespace Timonel.Controllers.Cloud.Node;

/// <summary>The labels a Node gets from its cloud (the cloud node controller's, in their stable and beta names).</summary>
public static class CloudNodeLabels
{
    public const string InstanceType = "node.kubernetes.io/instance-type";
    public const string InstanceTypeBeta = "beta.kubernetes.io/instance-type";
    public const string Zone = "topology.kubernetes.io/zone";
    public const string ZoneBeta = "failure-domain.beta.kubernetes.io/zone";
    public const string Region = "topology.kubernetes.io/region";
    public const string RegionBeta = "failure-domain.beta.kubernetes.io/region";

    /// <summary>What the instance's type and zone say; an empty value is no label.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Wanted(InstanceMetadata metadata, CloudZone? zone)
    {
        if (metadata.InstanceType.Length > 0)
        {
            yield return new(InstanceType, metadata.InstanceType);
            yield return new(InstanceTypeBeta, metadata.InstanceType);
        }

        if (zone?.FailureDomain is { Length: > 0 } failureDomain)
        {
            yield return new(Zone, failureDomain);
            yield return new(ZoneBeta, failureDomain);
        }

        if (zone?.Region is { Length: > 0 } region)
        {
            yield return new(Region, region);
            yield return new(RegionBeta, region);
        }
    }
}
