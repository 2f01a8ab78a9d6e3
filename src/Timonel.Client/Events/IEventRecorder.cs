using k8s;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Records core/v1 Events about objects without waiting for the API server (client-go's record.EventRecorder): an
/// event is queued and written later, or dropped when the queue is full.
/// </summary>
public interface IEventRecorder
{
    /// <summary>An event of <paramref name="type"/> ("Normal" or "Warning") about the object <paramref name="involved"/> refers to.</summary>
    void Event(V1ObjectReference involved, string type, string reason, string message);

    /// <summary>An event about <paramref name="obj"/>, referred to by its kind, name, uid and resourceVersion.</summary>
    void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message) =>
        Event(ObjectReferences.For(obj), type, reason, message);

    /// <summary>Event with a composite format message (invariant culture).</summary>
    void Eventf(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string messageFormat, params object?[] args) =>
        Event(obj, type, reason, string.Format(System.Globalization.CultureInfo.InvariantCulture, messageFormat, args));
}
