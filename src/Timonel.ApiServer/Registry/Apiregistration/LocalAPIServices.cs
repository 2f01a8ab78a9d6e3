using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry.Apiregistration;

/// <summary>
/// The APIServices upstream's autoregister controller keeps for the group versions the server itself serves: one per
/// group version, named version.group ("v1." for the core group), with no service. Built-in group versions take
/// their priorities from upstream's table (pkg/controlplane/apiserver/aggregator.go DefaultGenericAPIServicePriorities
/// merged with cmd/kube-apiserver's apiVersionPriorities) and are labelled automanaged "onstart"; a custom resource's
/// group version gets what upstream's crdRegistrationController gives it (1000, 100) and automanaged "true".
/// </summary>
public static class LocalAPIServices
{
    public const string AutomanagedLabel = "kube-aggregator.kubernetes.io/automanaged";

    private static readonly Dictionary<(string Group, string Version), (int Group, int Version)> _priorities = new()
    {
        [("", "v1")] = (18000, 1),
        [("apiregistration.k8s.io", "v1")] = (18000, 15),
        [("apps", "v1")] = (17800, 15),
        [("events.k8s.io", "v1")] = (17750, 15),
        [("authentication.k8s.io", "v1")] = (17700, 15),
        [("authorization.k8s.io", "v1")] = (17600, 15),
        [("autoscaling", "v1")] = (17500, 15),
        [("autoscaling", "v2")] = (17500, 30),
        [("batch", "v1")] = (17400, 15),
        [("certificates.k8s.io", "v1")] = (17300, 15),
        [("networking.k8s.io", "v1")] = (17200, 15),
        [("policy", "v1")] = (17100, 15),
        [("rbac.authorization.k8s.io", "v1")] = (17000, 15),
        [("storage.k8s.io", "v1")] = (16800, 15),
        [("apiextensions.k8s.io", "v1")] = (16700, 15),
        [("admissionregistration.k8s.io", "v1")] = (16700, 15),
        [("scheduling.k8s.io", "v1")] = (16600, 15),
        [("coordination.k8s.io", "v1")] = (16500, 15),
        [("node.k8s.io", "v1")] = (16300, 15),
        [("discovery.k8s.io", "v1")] = (16200, 15),
    };

    /// <summary>The APIService of every group version in <paramref name="groupVersions"/>, in the order given.</summary>
    public static IEnumerable<JsonObject> For(IEnumerable<(string Group, string Version, bool BuiltIn)> groupVersions)
    {
        foreach (var (group, version, builtIn) in groupVersions)
        {
            if (builtIn && !_priorities.ContainsKey((group, version)))
            {
                // As upstream: a built-in group version without a priority is not registered.
                continue;
            }

            var (groupPriority, versionPriority) = builtIn ? _priorities[(group, version)] : (1000, 100);
            yield return Object(group, version, groupPriority, versionPriority, builtIn ? "onstart" : "true");
        }
    }

    public static JsonObject Object(string group, string version, int groupPriority, int versionPriority, string automanaged) => new()
    {
        ["apiVersion"] = "apiregistration.k8s.io/v1",
        ["kind"] = "APIService",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{version}.{group}",
            ["labels"] = new JsonObject { [AutomanagedLabel] = automanaged },
        },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["version"] = version,
            ["groupPriorityMinimum"] = groupPriority,
            ["versionPriority"] = versionPriority,
        },
    };
}
