using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Agent.Simulated;

/// <summary>
/// The events a kubelet records about a pod's containers (pkg/kubelet/kuberuntime and images), sourced from
/// "kubelet" on the pod's node and naming the container by field path (spec.containers{name}), so
/// <c>kubectl describe pod</c> reads as on a real node: the image already present, created and started; stopping on
/// deletion.
/// </summary>
internal sealed class ContainerEvents
{
    /// <summary>The kubelet's event source component.</summary>
    public const string Component = "kubelet";

    private readonly Func<string, IEventRecorder> _recorderFor;

    /// <param name="recorderFor">The recorder of the kubelet on the named node.</param>
    public ContainerEvents(Func<string, IEventRecorder> recorderFor) => _recorderFor = recorderFor;

    /// <summary>What writes nothing: for agents whose events nobody reads.</summary>
    public static ContainerEvents None { get; } = new(_ => NoEvents.Instance);

    public void Started(V1Pod pod, string nodeName)
    {
        var recorder = _recorderFor(nodeName);
        foreach (var container in pod.Spec.Containers)
        {
            var reference = ObjectReferences.For(pod, $"spec.containers{{{container.Name}}}");
            recorder.Event(reference, "Normal", "Pulled", $"Container image \"{container.Image}\" already present on machine");
            recorder.Event(reference, "Normal", "Created", $"Created container: {container.Name}");
            recorder.Event(reference, "Normal", "Started", $"Started container {container.Name}");
        }
    }

    public void Killing(V1Pod pod, string nodeName)
    {
        var recorder = _recorderFor(nodeName);
        foreach (var container in pod.Spec.Containers)
        {
            recorder.Event(ObjectReferences.For(pod, $"spec.containers{{{container.Name}}}"), "Normal", "Killing", $"Stopping container {container.Name}");
        }
    }

    private sealed class NoEvents : IEventRecorder
    {
        public static readonly NoEvents Instance = new();

        public void Event(V1ObjectReference involved, string type, string reason, string message)
        {
        }
    }
}
