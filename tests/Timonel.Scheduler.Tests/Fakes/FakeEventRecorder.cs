using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Scheduler.Tests.Fakes;

/// <summary>Keeps the events recorded, in order.</summary>
internal sealed class FakeEventRecorder : IEventsV1Recorder
{
    public ConcurrentQueue<(string Pod, string Type, string Reason, string Action, string Note)> Events { get; } = new();

    public void Eventf(IKubernetesObject<V1ObjectMeta> regarding, IKubernetesObject<V1ObjectMeta>? related, string type, string reason, string action, string note) =>
        Events.Enqueue(($"{regarding.Metadata.NamespaceProperty}/{regarding.Metadata.Name}", type, reason, action, note));
}
