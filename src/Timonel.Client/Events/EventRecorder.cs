using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Events;

/// <summary>One component's recorder on a <see cref="EventBroadcaster"/> (client-go's recorderImpl).</summary>
internal sealed class EventRecorder : IEventRecorder
{
    private readonly EventBroadcaster _broadcaster;
    private readonly V1EventSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EventRecorder(EventBroadcaster broadcaster, V1EventSource source, TimeProvider time, ILogger logger)
    {
        _broadcaster = broadcaster;
        _source = source;
        _time = time;
        _logger = logger;
    }

    // generateEvent and makeEvent: an event of another type than Normal or Warning is refused (util.ValidateEventType);
    // an object without a namespace reports into "default".
    public void Event(V1ObjectReference involved, string type, string reason, string message)
    {
        if (type is not ("Normal" or "Warning"))
        {
            _logger.LogError("Unsupported event type {Type}", type);
            return;
        }

        var now = _time.GetUtcNow();
        _broadcaster.Enqueue(new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = EventNames.For(involved.Name, _broadcaster.Names.Next(now)),
                NamespaceProperty = string.IsNullOrEmpty(involved.NamespaceProperty) ? "default" : involved.NamespaceProperty,
            },
            InvolvedObject = involved,
            Reason = reason,
            Message = EventNames.Truncate(message),
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
            Type = type,
            Source = _source,
            ReportingComponent = _source.Component,
            ReportingInstance = _source.Host,
        });
    }
}
