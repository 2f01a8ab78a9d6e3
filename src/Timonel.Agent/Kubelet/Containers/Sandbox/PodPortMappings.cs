using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>
/// A pod's port mappings for the sandbox (kubecontainer.MakePortMappings): every container port, once per name
/// within its container; the CNI portmap plugin publishes those with a hostPort.
/// </summary>
internal static class PodPortMappings
{
    public static IEnumerable<PortMapping> Of(V1Pod pod)
    {
        foreach (var container in pod.Spec.Containers ?? [])
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var port in container.Ports ?? [])
            {
                var protocol = string.IsNullOrEmpty(port.Protocol) ? "TCP" : port.Protocol;
                var family = port.HostIP?.Contains(':') == true ? "v6" : "v4";
                var name = string.IsNullOrEmpty(port.Name) ? $"{family}-{protocol}-{port.HostIP}:{port.ContainerPort}:{port.HostPort}" : port.Name;
                if (names.Add(name))
                {
                    yield return new PortMapping
                    {
                        Protocol = Protocol(protocol),
                        ContainerPort = port.ContainerPort,
                        HostPort = port.HostPort ?? 0,
                        HostIp = port.HostIP ?? "",
                    };
                }
            }
        }
    }

    private static Cri.V1.Protocol Protocol(string protocol) => protocol switch
    {
        "UDP" => Cri.V1.Protocol.Udp,
        "SCTP" => Cri.V1.Protocol.Sctp,
        _ => Cri.V1.Protocol.Tcp,
    };
}
