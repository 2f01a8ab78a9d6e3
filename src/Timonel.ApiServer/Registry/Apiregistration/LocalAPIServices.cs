using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

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

    // The group versions of the built-in catalog, which need no strategies to know.
    private static readonly Lazy<HashSet<(string Group, string Version)>> _builtIn =
        new(() => ResourceCatalog.BuiltIn(new BuiltInStrategies()).Select(d => (d.Group, d.Version)).ToHashSet());

    /// <summary>
    /// Upstream's autoregister controller: an APIService for each group version served, and none left for a group
    /// version no longer served (only the automanaged ones are touched; an APIService a user made is kept). Run at
    /// start and whenever the served custom resources change.
    /// </summary>
    public static async Task SyncAsync(StoreRegistry registry, CancellationToken cancellationToken)
    {
        var served = registry.Definitions.Select(d => (d.Group, d.Version)).Distinct().Select(gv => (gv.Group, gv.Version, _builtIn.Value.Contains(gv)));
        var wanted = For(served).ToList();
        if (registry.Find("apiregistration.k8s.io", "v1", "apiservices") is not { } store)
        {
            // A registry without the kind (tests that serve a few kinds only).
            return;
        }

        foreach (var apiService in wanted)
        {
            try
            {
                await store.CreateAsync(null, apiService, dryRun: false, cancellationToken);
            }
            catch (StatusException ex) when (ex.Code == 409)
            {
                // Created on an earlier start or sync (or by another server sharing the datastore).
            }
        }

        var names = wanted.Select(a => a.StringAt("metadata", "name")).ToHashSet();
        var existing = await store.ListAsync(null, ListQuery.All, cancellationToken);
        foreach (var item in existing.ArrayAt("items").Objects())
        {
            if (item.StringAt("metadata", "labels", AutomanagedLabel) is not null && item.StringAt("metadata", "name") is { } name && !names.Contains(name))
            {
                try
                {
                    await store.DeleteAsync(null, name, new DeleteOptions(), cancellationToken);
                }
                catch (StatusException ex) when (ex.Code == 404)
                {
                    // Deleted meanwhile by another server sharing the datastore.
                }
            }
        }
    }

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
