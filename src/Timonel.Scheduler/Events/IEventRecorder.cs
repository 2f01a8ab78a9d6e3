using k8s.Models;

namespace Timonel.Scheduler.Events;

/// <summary>Records an event about a pod without waiting for the API server (upstream events.EventRecorder.Eventf).</summary>
public interface IEventRecorder
{
    void Eventf(V1Pod regarding, string type, string reason, string action, string note);
}
