using k8s.Models;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// <see cref="IProbeManager"/> as the kubelet's prober manager: one worker per probe per container instance, on
/// <see cref="TimeProvider"/> timers, with httpGet, tcpSocket, exec (through the runtime) and grpc handlers.
/// A container instance it was never told about is neither started nor ready.
/// </summary>
public sealed class ProbeManager : IProbeManager, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ContainerProbes> _containers = new(StringComparer.Ordinal);
    private readonly ProbeRunner _runner;
    private readonly HttpProbe _http = new();
    private readonly TimeProvider _time;

    public ProbeManager(IContainerRuntime runtime, TimeProvider time)
    {
        _time = time;
        _runner = new ProbeRunner([_http, new TcpProbe(), new ExecProbe(runtime), new GrpcProbe()], time);
    }

    public event Action<string>? Changed;

    public event Action<ProbeUnhealthy>? Unhealthy;

    public void ContainerStarted(V1Pod pod, string containerName, string containerId, string podIP, DateTimeOffset startedAt)
    {
        var container = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == containerName);
        if (container is null)
        {
            return;
        }

        var probes = new ContainerProbes(pod, container, containerId, podIP, _runner, e => Unhealthy?.Invoke(e), () => Changed?.Invoke(pod.Metadata.Uid));
        lock (_gate)
        {
            if (_containers.Remove(containerId, out var previous))
            {
                previous.Dispose();
            }

            _containers[containerId] = probes;
        }

        probes.Start(_time, startedAt);
    }

    public void ContainerStopped(string containerId)
    {
        lock (_gate)
        {
            if (_containers.Remove(containerId, out var probes))
            {
                probes.Dispose();
            }
        }
    }

    public void RemovePod(string podUid)
    {
        lock (_gate)
        {
            foreach (var (id, probes) in _containers.Where(pair => pair.Value.PodUid == podUid).ToList())
            {
                _containers.Remove(id);
                probes.Dispose();
            }
        }
    }

    public bool IsStarted(string containerId) => Find(containerId)?.Started ?? false;

    public bool IsReady(string containerId) => Find(containerId)?.Ready ?? false;

    public ProbeFailure? Failure(string containerId) => Find(containerId)?.Failure;

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var probes in _containers.Values)
            {
                probes.Dispose();
            }

            _containers.Clear();
        }

        _http.Dispose();
    }

    private ContainerProbes? Find(string containerId)
    {
        lock (_gate)
        {
            return _containers.GetValueOrDefault(containerId);
        }
    }
}
