using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Runtime;

/// <summary>
/// The container runtime as the kubelet sees it: CRI v1's RuntimeService, in the CRI's own message types (as
/// upstream's kuberuntime uses runtimeapi directly). The real implementation speaks gRPC to containerd's socket; unit
/// tests use a fake. Missing sandboxes and containers answer null from the status calls, and stopping or removing
/// one that is already gone is not an error (the CRI's idempotence rules).
/// </summary>
public interface IContainerRuntime
{
    Task<VersionResponse> VersionAsync(CancellationToken cancellationToken);

    /// <summary>The RuntimeReady and NetworkReady conditions.</summary>
    Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>Creates and starts a pod's sandbox (network namespace set up by CNI); answers its id.</summary>
    Task<string> RunPodSandboxAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken);

    Task StopPodSandboxAsync(string podSandboxId, CancellationToken cancellationToken);

    Task RemovePodSandboxAsync(string podSandboxId, CancellationToken cancellationToken);

    Task<PodSandboxStatus?> PodSandboxStatusAsync(string podSandboxId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync(PodSandboxFilter? filter, CancellationToken cancellationToken);

    /// <summary>Creates a container in a sandbox; answers its id.</summary>
    Task<string> CreateContainerAsync(string podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Sends the stop signal, then kills the container after <paramref name="timeoutSeconds"/>.</summary>
    Task StopContainerAsync(string containerId, long timeoutSeconds, CancellationToken cancellationToken);

    Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Container>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken);

    Task<ContainerStatus?> ContainerStatusAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Runs a command in a container and waits for it (exec probes, preStop exec hooks).</summary>
    Task<ExecSyncResponse> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The runtime's streaming-server URL for an interactive exec.</summary>
    Task<string> ExecAsync(ExecRequest request, CancellationToken cancellationToken);

    /// <summary>The runtime's streaming-server URL for an attach.</summary>
    Task<string> AttachAsync(AttachRequest request, CancellationToken cancellationToken);

    /// <summary>The runtime's streaming-server URL for a port-forward into a sandbox.</summary>
    Task<string> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken);
}
