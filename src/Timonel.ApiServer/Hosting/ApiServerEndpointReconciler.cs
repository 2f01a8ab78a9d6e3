using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Keeps default/kubernetes listing every live API server sharing the datastore, as upstream's lease endpoint
/// reconciler does (pkg/controlplane/reconcilers/lease.go, --endpoint-reconciler-type=lease): each server renews a
/// record of its address every 10 s, lists the records not yet expired and writes their addresses into the Endpoints
/// and its EndpointSlice; on a graceful stop it removes its record at once, and a killed server's record expires.
/// </summary>
/// <remarks>
/// Upstream keeps the records under /masterleases/&lt;ip&gt; in etcd with a 15 s TTL, which etcd deletes by itself.
/// Timonel's storage seam has no TTL (SQLite has none to offer), so each record is a coordination.k8s.io Lease in
/// kube-system named and labelled as upstream's API server identity leases (apiserver-&lt;hash&gt;,
/// apiserver.kubernetes.io/identity=kube-apiserver) that any client can list, its address in an annotation, and
/// "expired" means renewTime + leaseDurationSeconds has passed on the reading server's clock; an expired Lease is
/// deleted by the first server to notice, as the identity leases' garbage collector does upstream.
/// </remarks>
public sealed class ApiServerEndpointReconciler : IAsyncDisposable
{
    /// <summary>The label upstream's identity leases carry (k8s.io/apiserver's IdentityLeaseComponentLabelKey).</summary>
    public const string IdentityLabel = "apiserver.kubernetes.io/identity";

    /// <summary>Where the record keeps its server's advertised address.</summary>
    public const string AddressAnnotation = "timonel.io/advertise-address";

    /// <summary>kube-apiserver's --endpoint-reconciler interval (DefaultEndpointReconcilerInterval).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>How long a record outlives its last renewal (DefaultEndpointReconcilerTTL).</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    private const string LeaseNamespace = "kube-system";
    private readonly StoreRegistry _registry;
    private readonly string _address;
    private readonly int _port;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _leaseName;
    private readonly string _holder;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public ApiServerEndpointReconciler(StoreRegistry registry, string address, int port, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _address = address;
        _port = port;
        _time = time;
        _logger = logger;
        // Upstream hashes the host name alone; servers sharing a host (and a datastore) need a record each here.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Dns.GetHostName()}_{address}:{port}"));
        _leaseName = "apiserver-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
        _holder = $"{_leaseName}_{Guid.NewGuid():D}";
    }

    /// <summary>This server's record: kube-system/apiserver-&lt;hash&gt;.</summary>
    public string LeaseName => _leaseName;

    /// <summary>
    /// A started reconciler, or null when <paramref name="address"/> cannot be an endpoint (loopback and other special
    /// addresses fail Endpoints validation, ValidateNonSpecialIP, so upstream could not publish them either).
    /// </summary>
    public static async Task<ApiServerEndpointReconciler?> StartIfRoutableAsync(StoreRegistry registry, string address, int port, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (!NetworkValidation.ValidateNonSpecialIP(FieldPath.Root("ip"), address).IsEmpty)
        {
            return null;
        }

        var reconciler = new ApiServerEndpointReconciler(registry, address, port, time, logger);
        await reconciler.StartAsync(cancellationToken).ConfigureAwait(false);
        return reconciler;
    }

    /// <summary>Records this server and writes the Endpoints once, then keeps both current every <see cref="Interval"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>Renews this server's record, then writes the live servers' addresses into the Endpoints and EndpointSlice.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await RenewAsync(cancellationToken).ConfigureAwait(false);
        await WriteEndpointsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops renewing, removes this server's record and the address from the Endpoints (upstream's RemoveEndpoints).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await DeleteLeaseAsync(_leaseName, timeout.Token).ConfigureAwait(false);
            await WriteEndpointsAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StatusException or OperationCanceledException or IOException)
        {
            _logger.LogWarning("unable to remove this server from the kubernetes service's endpoints: {Message}", ex.Message);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await ReconcileAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // controlplane/controller.go's words for a failed round; the next tick tries again.
                    _logger.LogWarning("unable to sync kubernetes service: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var leases = _registry.Get("coordination.k8s.io", "leases");
        var now = MicroTime(_time.GetUtcNow());
        try
        {
            await leases.GuaranteedUpdateAsync(LeaseNamespace, _leaseName, current =>
            {
                var desired = Lease(current.StringAt("spec", "acquireTime") ?? now, now);
                var updated = current.DeepClone().AsObject();
                updated["metadata"]!["labels"] = desired["metadata"]!["labels"]!.DeepClone();
                updated["metadata"]!["annotations"] = desired["metadata"]!["annotations"]!.DeepClone();
                updated["spec"] = desired["spec"]!.DeepClone();
                return updated;
            }, leases.Definition.Strategy, dryRun: false, cancellationToken).ConfigureAwait(false);
        }
        catch (StatusException ex) when (ex.Code == 404)
        {
            try
            {
                await leases.CreateAsync(LeaseNamespace, Lease(now, now), dryRun: false, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException conflict) when (conflict.Code == 409)
            {
                // Created meanwhile (a restart racing its own previous run); renewed on the next round.
            }
        }
    }

    private JsonObject Lease(string acquireTime, string renewTime) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = _leaseName,
            ["namespace"] = LeaseNamespace,
            ["labels"] = new JsonObject { [IdentityLabel] = "kube-apiserver", ["kubernetes.io/hostname"] = Dns.GetHostName() },
            ["annotations"] = new JsonObject { [AddressAnnotation] = _address },
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = _holder,
            ["leaseDurationSeconds"] = (int)Ttl.TotalSeconds,
            ["acquireTime"] = acquireTime,
            ["renewTime"] = renewTime,
        },
    };

    /// <summary>The addresses of servers whose record has not expired, sorted and without repeats; expired records are deleted.</summary>
    private async Task<List<string>> LiveAddressesAsync(CancellationToken cancellationToken)
    {
        var list = await _registry.Get("coordination.k8s.io", "leases").ListAsync(LeaseNamespace, new ListQuery { Filter = IsServerRecord }, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var addresses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var lease in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var renewed = DateTimeOffset.TryParse(lease.StringAt("spec", "renewTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue;
            var duration = lease["spec"]?["leaseDurationSeconds"]?.GetValue<int>() ?? 0;
            if (renewed + TimeSpan.FromSeconds(duration) <= now)
            {
                await DeleteLeaseAsync(lease.Name()!, cancellationToken).ConfigureAwait(false);
            }
            else if (lease.StringAt("metadata", "annotations", AddressAnnotation) is { } address && IPAddress.TryParse(address, out _))
            {
                addresses.Add(address);
            }
        }

        return [.. addresses];
    }

    private static bool IsServerRecord(JsonObject lease) =>
        lease.StringAt("metadata", "labels", IdentityLabel) == "kube-apiserver" && lease.StringAt("metadata", "annotations", AddressAnnotation) is not null;

    private async Task WriteEndpointsAsync(CancellationToken cancellationToken)
    {
        var addresses = await LiveAddressesAsync(cancellationToken).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            // lease.go's doReconcile: the last server to stop leaves its address rather than an empty service.
            _logger.LogWarning("no API server IP addresses were listed in storage, refusing to erase all endpoints for the kubernetes Service");
            return;
        }

        var changed = await EnsureAsync(_registry.Get("", "endpoints"), KubernetesEndpoints.Endpoints(addresses, _port), ["subsets"], cancellationToken).ConfigureAwait(false);
        changed |= await EnsureAsync(_registry.Get("discovery.k8s.io", "endpointslices"), KubernetesEndpoints.EndpointSlice(addresses, _port), ["addressType", "endpoints", "ports"], cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            // lease.go's message, the addresses printed as Go prints a []string.
            _logger.LogWarning("Resetting endpoints for master service \"kubernetes\" to [{Addresses}]", string.Join(' ', addresses));
        }
    }

    /// <summary>Creates <paramref name="desired"/>, or replaces the <paramref name="fields"/> of the stored object when they differ; true when it wrote.</summary>
    private static async Task<bool> EnsureAsync(GenericStore store, JsonObject desired, string[] fields, CancellationToken cancellationToken)
    {
        var current = await store.FindRecentAsync(KubernetesEndpoints.Namespace, KubernetesEndpoints.Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            try
            {
                await store.CreateAsync(KubernetesEndpoints.Namespace, desired, dryRun: false, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StatusException ex) when (ex.Code == 409)
            {
                current = await store.GetAsync(KubernetesEndpoints.Namespace, KubernetesEndpoints.Name, cancellationToken).ConfigureAwait(false);
            }
        }

        if (fields.All(field => JsonNode.DeepEquals(current[field], desired[field])))
        {
            return false;
        }

        await store.GuaranteedUpdateAsync(KubernetesEndpoints.Namespace, KubernetesEndpoints.Name, stored =>
        {
            var updated = stored.DeepClone().AsObject();
            foreach (var field in fields)
            {
                updated[field] = desired[field]!.DeepClone();
            }

            updated["metadata"]!["labels"] = desired["metadata"]!["labels"]!.DeepClone();
            return updated;
        }, store.Definition.Strategy, dryRun: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task DeleteLeaseAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.Get("coordination.k8s.io", "leases").DeleteAsync(LeaseNamespace, name, new DeleteOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (StatusException ex) when (ex.Code == 404)
        {
            // Another server removed it first.
        }
    }

    // metav1.MicroTime's wire format (RFC 3339 with microseconds).
    private static string MicroTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
