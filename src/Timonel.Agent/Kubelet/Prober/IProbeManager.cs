using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// Runs the startup, liveness and readiness probes of a node's containers (the kubelet's prober manager) and keeps
/// their latest results. The pod worker tells it when a container starts and reads the results into the pod's status;
/// a result that changes raises <see cref="Changed"/> so the pod worker syncs again (a failed liveness or startup probe
/// restarts the container; readiness sets the Ready condition).
/// </summary>
public interface IProbeManager
{
    /// <summary>A new container instance runs: probe it per the pod's spec from now (initialDelaySeconds counts from <paramref name="startedAt"/>).</summary>
    void ContainerStarted(V1Pod pod, string containerName, string containerId, string podIP, DateTimeOffset startedAt);

    /// <summary>Stops probing a container instance that has exited or been removed.</summary>
    void ContainerStopped(string containerId);

    /// <summary>Stops every probe of the pod (it terminates).</summary>
    void RemovePod(string podUid);

    /// <summary>started: true once the startup probe succeeded, or at once without one.</summary>
    bool IsStarted(string containerId);

    /// <summary>ready: the readiness probe's last result (false before the first success); true without a probe once started.</summary>
    bool IsReady(string containerId);

    /// <summary>Whether the liveness or startup probe has failed past its failureThreshold: the container must be restarted.</summary>
    ProbeFailure? Failure(string containerId);

    /// <summary>Raised with the pod's uid when a result of one of its containers changes.</summary>
    event Action<string>? Changed;

    /// <summary>Raised for every failed probe attempt, with the message of upstream's Unhealthy event.</summary>
    event Action<ProbeUnhealthy>? Unhealthy;
}
