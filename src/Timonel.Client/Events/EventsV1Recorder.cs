using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Events;

/// <summary>One reporter's recorder on an <see cref="EventsV1Broadcaster"/> (client-go tools/events recorderImpl).</summary>
internal sealed class EventsV1Recorder : IEventsV1Recorder
{
    private readonly EventsV1Broadcaster _broadcaster;
    private readonly string _reportingController;
    private readonly string _reportingInstance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EventsV1Recorder(EventsV1Broadcaster broadcaster, string reportingController, string reportingInstance, TimeProvider time, ILogger logger)
    {
        _broadcaster = broadcaster;
        _reportingController = reportingController;
        _reportingInstance = reportingInstance;
        _time = time;
        _logger = logger;
    }

    // makeEvent: named "<regarding>.<unix nanoseconds in hex>", in the regarding object's namespace or "default".
    public void Eventf(IKubernetesObject<V1ObjectMeta> regarding, IKubernetesObject<V1ObjectMeta>? related, string type, string reason, string action, string note)
    {
        if (type is not ("Normal" or "Warning"))
        {
            _logger.LogError("Unsupported event type {Type}", type);
            return;
        }

        var now = _time.GetUtcNow();
        var reference = ObjectReferences.For(regarding);
        _broadcaster.Enqueue(new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = EventNames.For(reference.Name, _broadcaster.Names.Next(now)),
                NamespaceProperty = string.IsNullOrEmpty(reference.NamespaceProperty) ? "default" : reference.NamespaceProperty,
            },
            EventTime = now.UtcDateTime,
            ReportingController = _reportingController,
            ReportingInstance = _reportingInstance,
            Action = action,
            Reason = reason,
            Type = type,
            Note = EventNames.Truncate(note),
            Regarding = reference,
            Related = related is null ? null : ObjectReferences.For(related),
        });
    }
}
