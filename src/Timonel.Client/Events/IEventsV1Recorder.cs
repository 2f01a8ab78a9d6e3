using k8s;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Records events.k8s.io/v1 Events without waiting for the API server (client-go's events.EventRecorder): the same
/// event (type, reason, action, reporter, regarding and related objects) repeated becomes a series on one Event.
/// </summary>
public interface IEventsV1Recorder
{
    /// <summary>An event about <paramref name="regarding"/> (and optionally <paramref name="related"/>), its note cut to 1 kB.</summary>
    void Eventf(IKubernetesObject<V1ObjectMeta> regarding, IKubernetesObject<V1ObjectMeta>? related, string type, string reason, string action, string note);
}
