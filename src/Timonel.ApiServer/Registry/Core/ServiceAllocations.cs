using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// ClusterIP and NodePort allocation for Services (upstream's pkg/registry/core/service/storage alloc.go):
/// empty clusterIP gets a free address of the service CIDR, "None" stays headless, a requested one is honoured
/// when free; NodePort and LoadBalancer ports get node ports likewise. Values a client leaves out on update are
/// carried over from the stored object, as upstream's patchAllocatedValues does.
/// </summary>
public sealed class ServiceAllocations : IStoreHook
{
    private readonly IpRange _serviceCidr;
    private readonly int _firstNodePort;
    private readonly int _lastNodePort;
    private readonly RangeAllocator _ips;
    private readonly RangeAllocator _nodePorts;

    public ServiceAllocations(IStorageBackend storage, string serviceCidr, string nodePortRange)
    {
        _serviceCidr = IpRange.Parse(serviceCidr);
        var bounds = nodePortRange.Split('-');
        _firstNodePort = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        _lastNodePort = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
        _ips = new RangeAllocator(storage, "/registry/ranges/serviceips/");
        _nodePorts = new RangeAllocator(storage, "/registry/ranges/servicenodeports/");
    }

    /// <summary>The first address of the service CIDR, which the kubernetes service in default gets.</summary>
    public string KubernetesServiceIp => _serviceCidr.At(1).ToString();

    /// <summary>The kubernetes Service's cluster IP for a service CIDR, before any allocator exists.</summary>
    public static string KubernetesServiceIpOf(string serviceCidr) => IpRange.Parse(serviceCidr).At(1).ToString();

    public Task BeforeCreateAsync(JsonObject created, bool dryRun, CancellationToken cancellationToken) =>
        AllocateAsync(created, null, dryRun, cancellationToken);

    public Task CreateFailedAsync(JsonObject created, CancellationToken cancellationToken) =>
        ReleaseAsync(created, keep: null, cancellationToken);

    public Task BeforeUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken cancellationToken)
    {
        CarryOverAllocatedValues(updated, old);
        return AllocateAsync(updated, old, dryRun, cancellationToken);
    }

    public Task UpdateFailedAsync(JsonObject updated, JsonObject old, CancellationToken cancellationToken) =>
        ReleaseAsync(updated, keep: old, cancellationToken);

    public Task AfterUpdateAsync(JsonObject updated, JsonObject old, CancellationToken cancellationToken) =>
        ReleaseAsync(old, keep: updated, cancellationToken);

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken cancellationToken) =>
        ReleaseAsync(deleted, keep: null, cancellationToken);

    private static string Owner(JsonObject service) => $"{service.Namespace()}/{service.Name()}";

    private static string? ClusterIp(JsonObject service) => service.StringAt("spec", "clusterIP");

    private static bool WantsNodePorts(JsonObject service) => service.StringAt("spec", "type") is "NodePort" or "LoadBalancer";

    private static IEnumerable<(JsonObject Port, int Index)> Ports(JsonObject service) =>
        service.ArrayAt("spec", "ports").Objects().Select((port, index) => (port, index));

    private static void CarryOverAllocatedValues(JsonObject updated, JsonObject old)
    {
        var spec = updated.Child("spec");
        if (string.IsNullOrEmpty(ClusterIp(updated)) && ClusterIp(old) is { Length: > 0 } oldIp && updated.StringAt("spec", "type") != "ExternalName")
        {
            spec["clusterIP"] = oldIp;
            spec["clusterIPs"] = old.ArrayAt("spec", "clusterIPs")?.DeepClone() ?? new JsonArray(oldIp);
        }

        if (!WantsNodePorts(updated))
        {
            return;
        }

        foreach (var (port, _) in Ports(updated).Where(p => (p.Port.LongAt("nodePort") ?? 0) == 0))
        {
            var match = Ports(old).Select(p => p.Port).FirstOrDefault(p => p.LongAt("port") == port.LongAt("port") && (p.StringAt("protocol") ?? "TCP") == (port.StringAt("protocol") ?? "TCP"));
            if (match?.LongAt("nodePort") is { } nodePort and > 0)
            {
                port["nodePort"] = nodePort;
            }
        }
    }

    private async Task AllocateAsync(JsonObject service, JsonObject? old, bool dryRun, CancellationToken cancellationToken)
    {
        var owner = Owner(service);
        var reserved = new List<Func<Task>>();
        try
        {
            await AllocateClusterIpAsync(service, old, owner, dryRun, reserved, cancellationToken);
            if (WantsNodePorts(service))
            {
                await AllocateNodePortsAsync(service, old, owner, dryRun, reserved, cancellationToken);
            }
        }
        catch
        {
            foreach (var release in reserved)
            {
                await release();
            }

            throw;
        }
    }

    private async Task AllocateClusterIpAsync(JsonObject service, JsonObject? old, string owner, bool dryRun, List<Func<Task>> reserved, CancellationToken cancellationToken)
    {
        var spec = service.Child("spec");
        if (service.StringAt("spec", "type") == "ExternalName" || ClusterIp(service) == "None")
        {
            return;
        }

        var requested = ClusterIp(service);
        if (old is not null && requested == ClusterIp(old))
        {
            return;
        }

        if (string.IsNullOrEmpty(requested))
        {
            // Offset 1 is kept for the kubernetes service; the last address of an IPv4 range is its broadcast.
            var usable = (long)System.Numerics.BigInteger.Min(_serviceCidr.Size - 3, long.MaxValue);
            // Upstream's static band for service IPs: min(max(16, size/16), 256) addresses at the start of the range.
            var staticBand = RangeAllocator.StaticBand(usable, 16, 16, 256);
            var ip = dryRun ? _serviceCidr.At(2).ToString() : await _ips.ReserveAnyAsync(usable, staticBand, offset => _serviceCidr.At(offset + 2).ToString(), owner, cancellationToken)
                ?? throw InvalidIp(service, "<nil>", "failed to allocate a serviceIP: range is full");
            if (!dryRun)
            {
                reserved.Add(() => _ips.ReleaseAsync(ip, CancellationToken.None));
            }

            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
            return;
        }

        if (!IPAddress.TryParse(requested, out var address) || _serviceCidr.OffsetOf(address) is null)
        {
            throw InvalidIp(service, requested, $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {_serviceCidr}");
        }

        var free = dryRun ? await _ips.IsFreeAsync(requested, owner, cancellationToken) : await _ips.TryReserveAsync(requested, owner, cancellationToken);
        if (!free)
        {
            throw InvalidIp(service, requested, $"failed to allocate IP {requested}: provided IP is already allocated");
        }

        if (!dryRun)
        {
            reserved.Add(() => _ips.ReleaseAsync(requested, CancellationToken.None));
        }

        spec["clusterIPs"] = new JsonArray(requested);
    }

    private async Task AllocateNodePortsAsync(JsonObject service, JsonObject? old, string owner, bool dryRun, List<Func<Task>> reserved, CancellationToken cancellationToken)
    {
        var held = old is not null && WantsNodePorts(old) ? Ports(old).Select(p => p.Port.LongAt("nodePort") ?? 0).ToHashSet() : [];
        foreach (var (port, index) in Ports(service))
        {
            var requested = port.LongAt("nodePort") ?? 0;
            if (requested != 0 && held.Contains(requested))
            {
                continue;
            }

            if (requested == 0)
            {
                var count = _lastNodePort - _firstNodePort + 1;
                // Upstream's static band for node ports: min(max(16, size/32), 128) ports at the start of the range.
                var value = dryRun ? _firstNodePort.ToString(CultureInfo.InvariantCulture) : await _nodePorts.ReserveAnyAsync(count, RangeAllocator.StaticBand(count, 16, 32, 128), offset => (_firstNodePort + offset).ToString(CultureInfo.InvariantCulture), owner, cancellationToken)
                    ?? throw InvalidNodePort(service, index, 0, "failed to allocate a nodePort: range is full");
                if (!dryRun)
                {
                    reserved.Add(() => _nodePorts.ReleaseAsync(value, CancellationToken.None));
                }

                port["nodePort"] = int.Parse(value, CultureInfo.InvariantCulture);
                continue;
            }

            if (requested < _firstNodePort || requested > _lastNodePort)
            {
                throw InvalidNodePort(service, index, requested, $"provided port is not in the valid range. The range of valid ports is {_firstNodePort}-{_lastNodePort}");
            }

            var text = requested.ToString(CultureInfo.InvariantCulture);
            var free = dryRun ? await _nodePorts.IsFreeAsync(text, owner, cancellationToken) : await _nodePorts.TryReserveAsync(text, owner, cancellationToken);
            if (!free)
            {
                throw InvalidNodePort(service, index, requested, "provided port is already allocated");
            }

            if (!dryRun)
            {
                reserved.Add(() => _nodePorts.ReleaseAsync(text, CancellationToken.None));
            }
        }
    }

    /// <summary>Releases what <paramref name="service"/> holds and <paramref name="keep"/> (if any) does not.</summary>
    private async Task ReleaseAsync(JsonObject service, JsonObject? keep, CancellationToken cancellationToken)
    {
        var ip = ClusterIp(service);
        if (!string.IsNullOrEmpty(ip) && ip != "None" && (keep is null || ClusterIp(keep) != ip))
        {
            await _ips.ReleaseAsync(ip, cancellationToken);
        }

        if (!WantsNodePorts(service))
        {
            return;
        }

        var kept = keep is not null && WantsNodePorts(keep) ? Ports(keep).Select(p => p.Port.LongAt("nodePort") ?? 0).ToHashSet() : [];
        foreach (var (port, _) in Ports(service))
        {
            if (port.LongAt("nodePort") is { } nodePort and > 0 && !kept.Contains(nodePort))
            {
                await _nodePorts.ReleaseAsync(nodePort.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }
        }
    }

    private static StatusException InvalidIp(JsonObject service, string ip, string detail) =>
        StatusException.Invalid("", "Service", service.Name() ?? "", FieldError.Invalid(FieldPath.Root("spec").Child("clusterIPs"), new[] { ip }, detail));

    private static StatusException InvalidNodePort(JsonObject service, int index, long port, string detail) =>
        StatusException.Invalid("", "Service", service.Name() ?? "", FieldError.Invalid(FieldPath.Root("spec").Child("ports").Index(index).Child("nodePort"), port, detail));
}
