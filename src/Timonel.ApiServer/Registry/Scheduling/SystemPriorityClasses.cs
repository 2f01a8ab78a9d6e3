using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry.Scheduling;

/// <summary>
/// The priority classes every cluster has (upstream's pkg/apis/scheduling/types.go and SystemPriorityClasses in
/// pkg/apis/scheduling/helpers.go), created at start as the scheduling REST storage's post-start hook does.
/// </summary>
public static class SystemPriorityClasses
{
    /// <summary>Names with this prefix are reserved for the system classes (SystemPriorityClassPrefix).</summary>
    public const string Prefix = "system-";

    /// <summary>HighestUserDefinablePriority: the largest value a class outside the system ones may have.</summary>
    public const long HighestUserDefinablePriority = 1_000_000_000;

    public static IReadOnlyList<(string Name, long Value, string Description)> All { get; } =
    [
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    public static JsonObject Object((string Name, long Value, string Description) priorityClass) => new()
    {
        ["apiVersion"] = "scheduling.k8s.io/v1",
        ["kind"] = "PriorityClass",
        ["metadata"] = new JsonObject { ["name"] = priorityClass.Name },
        ["value"] = priorityClass.Value,
        ["globalDefault"] = false,
        ["description"] = priorityClass.Description,
    };
}
