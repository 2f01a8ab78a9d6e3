using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// The events the kubelet records about a pod and its containers (pkg/kubelet/events), a container named by its
/// field path (spec.containers{name}, spec.initContainers{name}) so <c>kubectl describe pod</c> reads as upstream.
/// </summary>
internal sealed class PodEvents
{
    private readonly IEventRecorder _recorder;

    public PodEvents(IEventRecorder recorder) => _recorder = recorder;

    public void Pod(V1Pod pod, string type, string reason, string message) => _recorder.Event(ObjectReferences.For(pod), type, reason, message);

    public void Container(V1Pod pod, V1Container container, string type, string reason, string message) =>
        _recorder.Event(ObjectReferences.For(pod, FieldPath(pod, container)), type, reason, message);

    public static string FieldPath(V1Pod pod, V1Container container) =>
        pod.Spec.InitContainers?.Any(c => c.Name == container.Name) == true ? $"spec.initContainers{{{container.Name}}}" : $"spec.containers{{{container.Name}}}";
}
