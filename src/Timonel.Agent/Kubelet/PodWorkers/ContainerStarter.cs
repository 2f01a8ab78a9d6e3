using System.Globalization;
using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Starts one container instance in a pod's sandbox (kuberuntime_container.go startContainer): the image, the
/// config, create, start, the probes, then the postStart hook, with upstream's events. A postStart hook that fails
/// kills the container (FailedPostStartHook), so it is restarted per the pod's restartPolicy.
/// </summary>
internal sealed class ContainerStarter
{
    private readonly IContainerRuntime _runtime;
    private readonly ImagePuller _images;
    private readonly IContainerConfigFactory _configs;
    private readonly IProbeManager _probes;
    private readonly LifecycleHooks _hooks;
    private readonly PodEvents _events;

    public ContainerStarter(IContainerRuntime runtime, ImagePuller images, IContainerConfigFactory configs, IProbeManager probes, LifecycleHooks hooks, PodEvents events)
    {
        _runtime = runtime;
        _images = images;
        _configs = configs;
        _probes = probes;
        _hooks = hooks;
        _events = events;
    }

    /// <summary>Null once the container started; else why it waits.</summary>
    public async Task<ContainerWaiting?> StartAsync(V1Pod pod, V1Container container, string sandboxId, PodSandboxConfig sandboxConfig, ContainerContext context, CancellationToken cancellationToken)
    {
        if (await _images.EnsureAsync(pod, container, sandboxConfig, cancellationToken) is { } imageProblem)
        {
            _events.Container(pod, container, "Warning", "Failed", $"Error: {imageProblem.Reason}");
            return imageProblem;
        }

        ContainerConfig config;
        try
        {
            config = await _configs.CreateAsync(pod, container, context, cancellationToken);
        }
        catch (ContainerConfigException ex)
        {
            _events.Container(pod, container, "Warning", "Failed", $"Error: {ex.Message}");
            return new ContainerWaiting("CreateContainerConfigError", ex.Message);
        }

        Label(config, pod, container, context.Attempt);
        string id;
        try
        {
            id = await _runtime.CreateContainerAsync(sandboxId, config, sandboxConfig, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = RuntimeErrors.Message(ex);
            _events.Container(pod, container, "Warning", "Failed", $"Error: {message}");
            return new ContainerWaiting("CreateContainerError", message);
        }

        _events.Container(pod, container, "Normal", "Created", $"Created container: {container.Name}");
        try
        {
            await _runtime.StartContainerAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = RuntimeErrors.Message(ex);
            _events.Container(pod, container, "Warning", "Failed", $"Error: {message}");
            return new ContainerWaiting("RunContainerError", message);
        }

        _events.Container(pod, container, "Normal", "Started", $"Started container {container.Name}");
        var podIP = context.PodIPs.Count > 0 ? context.PodIPs[0] : "";
        if (container.Lifecycle?.PostStart is { } postStart)
        {
            var grace = TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30);
            if (await _hooks.RunAsync(pod, container, postStart, id, podIP, grace, cancellationToken) is { } failure)
            {
                _events.Container(pod, container, "Warning", "FailedPostStartHook", failure);
                _events.Container(pod, container, "Normal", "Killing", "FailedPostStartHook");
                _probes.ContainerStopped(id);
                await _runtime.StopContainerAsync(id, PodTerminator.MinimumGraceSeconds, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>The labels and annotation the kubelet finds its containers by after a restart, whatever the config factory set.</summary>
    private static void Label(ContainerConfig config, V1Pod pod, V1Container container, uint attempt)
    {
        config.Metadata ??= new ContainerMetadata { Name = container.Name, Attempt = attempt };
        config.Labels[KubeletLabels.PodUid] = pod.Metadata.Uid;
        config.Labels[KubeletLabels.PodName] = pod.Metadata.Name;
        config.Labels[KubeletLabels.PodNamespace] = pod.Metadata.NamespaceProperty;
        config.Labels[KubeletLabels.ContainerName] = container.Name;
        config.Annotations[KubeletLabels.RestartCountAnnotation] = attempt.ToString(CultureInfo.InvariantCulture);
        if (container.TerminationMessagePath is { Length: > 0 } path && !config.Annotations.ContainsKey(KubeletLabels.TerminationMessagePathAnnotation))
        {
            config.Annotations[KubeletLabels.TerminationMessagePathAnnotation] = path;
        }

        if (container.TerminationMessagePolicy is { Length: > 0 } policy && !config.Annotations.ContainsKey(KubeletLabels.TerminationMessagePolicyAnnotation))
        {
            config.Annotations[KubeletLabels.TerminationMessagePolicyAnnotation] = policy;
        }
    }
}
