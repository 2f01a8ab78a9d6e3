using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Testing.Events;

/// <summary>Keeps the core/v1 events a component records, in order, instead of writing them.</summary>
public sealed class RecordingEventRecorder : IEventRecorder
{
    private readonly Lock _lock = new();
    private readonly List<RecordedEvent> _events = [];

    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public void Event(V1ObjectReference involved, string type, string reason, string message)
    {
        lock (_lock)
        {
            _events.Add(new RecordedEvent(involved, type, reason, message));
        }
    }
}
