using k8s.Models;

namespace Timonel.Controllers.Cloud.Service;

/// <summary>
/// Whether a Service update concerns its balancer (the service controller's needsUpdate), so the controller's own
/// writes (finalizer, status) do not bring the Service back and every real change does.
/// </summary>
public static class ServiceChanges
{
    public static bool NeedsUpdate(V1Service old, V1Service current)
    {
        var wanted = LoadBalancerServices.WantsLoadBalancer(old);
        var wants = LoadBalancerServices.WantsLoadBalancer(current);
        if (wanted != wants)
        {
            return true;
        }

        if (!wants)
        {
            return false;
        }

        var (o, c) = (old.Spec, current.Spec);
        return old.Metadata.Uid != current.Metadata.Uid
            || o.LoadBalancerIP != c.LoadBalancerIP
            || o.ExternalTrafficPolicy != c.ExternalTrafficPolicy
            || o.HealthCheckNodePort != c.HealthCheckNodePort
            || !Same(o.Ports?.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}/{p.NodePort}"), c.Ports?.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}/{p.NodePort}"))
            || !Same(o.ExternalIPs, c.ExternalIPs)
            || !Same(o.LoadBalancerSourceRanges, c.LoadBalancerSourceRanges)
            || !Same(o.IpFamilies, c.IpFamilies)
            || !Same(old.Metadata.Annotations?.Select(a => a.Key + "=" + a.Value), current.Metadata.Annotations?.Select(a => a.Key + "=" + a.Value));
    }

    private static bool Same(IEnumerable<string>? a, IEnumerable<string>? b) =>
        (a ?? []).Order(StringComparer.Ordinal).SequenceEqual((b ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
