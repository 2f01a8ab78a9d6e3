using System.Globalization;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>A probe's port, by number or by the name of one of the container's ports (probe.ResolveContainerPort).</summary>
internal static class ProbePorts
{
    /// <summary>Throws <see cref="FormatException"/> for a name the container does not have or a number out of range.</summary>
    public static int Resolve(IntOrString? port, V1Container container)
    {
        var text = port?.Value ?? "";
        var named = (container.Ports ?? []).FirstOrDefault(p => p.Name == text);
        if (named is null && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"couldn't find port: {text} in {container.Name}");
        }

        var number = named?.ContainerPort ?? int.Parse(text, CultureInfo.InvariantCulture);
        return number is > 0 and <= 65535 ? number : throw new FormatException($"invalid port number: {number}");
    }

    /// <summary>host:port with an IPv6 host in brackets (net.JoinHostPort).</summary>
    public static string HostPort(string host, int port) =>
        host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
