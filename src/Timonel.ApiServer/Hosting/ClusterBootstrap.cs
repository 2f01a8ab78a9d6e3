using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Objects every cluster has from its first start (upstream's bootstrap controller and system namespaces):
/// default, kube-system, kube-public and kube-node-lease.
/// </summary>
public static class ClusterBootstrap
{
    public static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(StoreRegistry registry, CancellationToken cancellationToken)
    {
        var namespaces = registry.Get("", "namespaces");
        foreach (var name in SystemNamespaces)
        {
            await CreateIfMissingAsync(namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name },
            }, cancellationToken);
        }
    }

    private static async Task CreateIfMissingAsync(GenericStore store, string? ns, JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            await store.CreateAsync(ns, obj, dryRun: false, cancellationToken);
        }
        catch (StatusException ex) when (ex.Code == 409)
        {
            // Created on an earlier start (or by another server sharing the datastore).
        }
    }
}
