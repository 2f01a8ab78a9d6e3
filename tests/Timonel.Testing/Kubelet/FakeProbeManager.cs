using k8s.Models;
using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Testing.Kubelet;

/// <summary>
/// A prober whose results the test sets by container name: every started container is started and ready unless
/// told otherwise; a failure set for a name applies to its running instance until cleared.
/// </summary>
public sealed class FakeProbeManager : IProbeManager
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string PodUid, string Name)> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _ready = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProbeFailure> _failures = new(StringComparer.Ordinal);
    private readonly List<string> _removedPods = [];

    public event Action<string>? Changed;

    public event Action<ProbeUnhealthy>? Unhealthy;

    /// <summary>The container ids the kubelet reported started, in order.</summary>
    public List<string> Started { get; } = [];

    public List<string> Stopped { get; } = [];

    public IReadOnlyList<string> RemovedPods
    {
        get
        {
            lock (_lock)
            {
                return [.. _removedPods];
            }
        }
    }

    /// <summary>Reports a failed probe attempt, as the prober does for each one.</summary>
    public void RaiseUnhealthy(ProbeUnhealthy unhealthy) => Unhealthy?.Invoke(unhealthy);

    /// <summary>Sets the readiness of the containers of that name and tells the kubelet.</summary>
    public void SetReady(string podUid, string containerName, bool ready)
    {
        lock (_lock)
        {
            _ready[containerName] = ready;
        }

        Changed?.Invoke(podUid);
    }

    /// <summary>Makes the liveness (or startup) probe of the containers of that name fail; null clears it.</summary>
    public void SetFailure(string podUid, string containerName, ProbeFailure? failure)
    {
        lock (_lock)
        {
            if (failure is null)
            {
                _failures.Remove(containerName);
            }
            else
            {
                _failures[containerName] = failure;
            }
        }

        Changed?.Invoke(podUid);
    }

    public void ContainerStarted(V1Pod pod, string containerName, string containerId, string podIP, DateTimeOffset startedAt)
    {
        lock (_lock)
        {
            _containers[containerId] = (pod.Metadata.Uid, containerName);
            Started.Add(containerId);
        }
    }

    public void ContainerStopped(string containerId)
    {
        lock (_lock)
        {
            _containers.Remove(containerId);
            Stopped.Add(containerId);
        }
    }

    public void RemovePod(string podUid)
    {
        lock (_lock)
        {
            _removedPods.Add(podUid);
        }
    }

    public bool IsStarted(string containerId) => true;

    public bool IsReady(string containerId)
    {
        lock (_lock)
        {
            return !_containers.TryGetValue(containerId, out var container) || _ready.GetValueOrDefault(container.Name, true);
        }
    }

    public ProbeFailure? Failure(string containerId)
    {
        lock (_lock)
        {
            return _containers.TryGetValue(containerId, out var container) ? _failures.GetValueOrDefault(container.Name) : null;
        }
    }
}
