using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Apiregistration;
using Timonel.ApiServer.Registry.Scheduling;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Objects every cluster has from its first start (upstream's bootstrap controller and system namespaces):
/// default, kube-system, kube-public and kube-node-lease; the kubernetes service with its Endpoints and EndpointSlice;
/// the system priority classes; an APIService for every group version served.
/// </summary>
public static class ClusterBootstrap
{
    public static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(StoreRegistry registry, string kubernetesServiceIp, string advertiseAddress, int port, CancellationToken cancellationToken)
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

        // The scheduling REST storage's post-start hook (pkg/registry/scheduling/rest/storage_scheduling.go).
        var priorityClasses = registry.Get("scheduling.k8s.io", "priorityclasses");
        foreach (var priorityClass in SystemPriorityClasses.All)
        {
            await CreateIfMissingAsync(priorityClasses, null, SystemPriorityClasses.Object(priorityClass), cancellationToken);
        }

        await LocalAPIServices.SyncAsync(registry, cancellationToken);

        // The kubernetes service: how pods reach the API server (upstream's bootstrap controller, controlplane/controller).
        await CreateIfMissingAsync(registry.Get("", "services"), "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = kubernetesServiceIp,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = port }),
                ["sessionAffinity"] = "None",
            },
        }, cancellationToken);
        // Endpoints validation refuses loopback addresses (ValidateNonSpecialIP), so upstream's endpoint reconciler could
        // not publish a loopback advertise address either: a server bound to 127.0.0.1 has a kubernetes service
        // without endpoints, which nothing off this host could use anyway.
        if (!NetworkValidation.ValidateNonSpecialIP(FieldPath.Root("ip"), advertiseAddress).IsEmpty)
        {
            return;
        }

        // The Endpoints and EndpointSlice as upstream's reconciler writes them; ApiServerEndpointReconciler then keeps
        // them listing every live API server.
        await CreateIfMissingAsync(registry.Get("", "endpoints"), KubernetesEndpoints.Namespace, KubernetesEndpoints.Endpoints([advertiseAddress], port), cancellationToken);
        await CreateIfMissingAsync(registry.Get("discovery.k8s.io", "endpointslices"), KubernetesEndpoints.Namespace, KubernetesEndpoints.EndpointSlice([advertiseAddress], port), cancellationToken);
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
