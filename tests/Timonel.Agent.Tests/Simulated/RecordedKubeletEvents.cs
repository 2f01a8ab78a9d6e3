using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Agent.Tests.Simulated;

/// <summary>The events the simulated kubelets record, as "node reason fieldPath: message" lines in order.</summary>
internal sealed class RecordedKubeletEvents
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public IEventRecorder For(string node) => new Recorder(this, node);

    private sealed class Recorder(RecordedKubeletEvents events, string node) : IEventRecorder
    {
        public void Event(V1ObjectReference involved, string type, string reason, string message)
        {
            lock (events._lock)
            {
                events._lines.Add($"{node} {reason} {involved.Kind}/{involved.Name} {involved.FieldPath}: {message}");
            }
        }
    }
}
