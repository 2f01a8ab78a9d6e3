using System.Globalization;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// The service-link environment variables (kubelet/envvars): for each Service with a cluster IP,
/// <c>NAME_SERVICE_HOST</c>, <c>NAME_SERVICE_PORT</c>, one <c>NAME_SERVICE_PORT_PORTNAME</c> per named port, and the
/// Docker-link style <c>NAME_PORT</c>, <c>NAME_PORT_80_TCP</c>, <c>_PROTO</c>, <c>_PORT</c> and <c>_ADDR</c>.
/// </summary>
internal static class ServiceEnvironment
{
    /// <summary>The name of the Service in the default namespace every pod gets links to, even without enableServiceLinks.</summary>
    public const string MasterServiceName = "kubernetes";

    public const string MasterServiceNamespace = "default";

    public static IEnumerable<KeyValuePair<string, string>> From(IEnumerable<V1Service> services) =>
        services.Where(HasClusterIP).SelectMany(Variables);

    /// <summary>Whether a Service has a cluster IP to link to (not headless, not ExternalName).</summary>
    public static bool HasClusterIP(V1Service service) =>
        service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None";

    private static IEnumerable<KeyValuePair<string, string>> Variables(V1Service service)
    {
        var prefix = VariableName(service.Metadata.Name);
        var ip = service.Spec.ClusterIP;
        var ports = service.Spec.Ports ?? [];
        yield return new(prefix + "_SERVICE_HOST", ip);
        if (ports.Count == 0)
        {
            yield break;
        }

        yield return new(prefix + "_SERVICE_PORT", Number(ports[0].Port));
        foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
        {
            yield return new(prefix + "_SERVICE_PORT_" + VariableName(port.Name), Number(port.Port));
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = string.IsNullOrEmpty(ports[i].Protocol) ? "TCP" : ports[i].Protocol;
            var url = $"{protocol.ToLowerInvariant()}://{HostPort(ip, ports[i].Port)}";
            if (i == 0)
            {
                yield return new(prefix + "_PORT", url);
            }

            var portPrefix = $"{prefix}_PORT_{Number(ports[i].Port)}_{protocol.ToUpperInvariant()}";
            yield return new(portPrefix, url);
            yield return new(portPrefix + "_PROTO", protocol.ToLowerInvariant());
            yield return new(portPrefix + "_PORT", Number(ports[i].Port));
            yield return new(portPrefix + "_ADDR", ip);
        }
    }

    private static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string Number(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string HostPort(string ip, int port) => ip.Contains(':') ? $"[{ip}]:{Number(port)}" : $"{ip}:{Number(port)}";
}
