namespace Timonel.Scheduler.Framework;

/// <summary>Resource names and classes (upstream core/v1 resource names and v1helper.IsScalarResourceName).</summary>
public static class ResourceNames
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string EphemeralStorage = "ephemeral-storage";
    public const string Pods = "pods";

    /// <summary>Extended resources, hugepages and attachable volumes: counted by name, as upstream's scalar resources.</summary>
    public static bool IsScalar(string name) =>
        IsExtended(name) || name.StartsWith("hugepages-", StringComparison.Ordinal) || name.StartsWith("attachable-volumes-", StringComparison.Ordinal);

    /// <summary>A domain-qualified name outside kubernetes.io, not a quota's "requests." name (upstream IsExtendedResourceName).</summary>
    public static bool IsExtended(string name) =>
        name.Contains('/', StringComparison.Ordinal)
        && !name.Contains("kubernetes.io/", StringComparison.Ordinal)
        && !name.StartsWith("requests.", StringComparison.Ordinal);
}
