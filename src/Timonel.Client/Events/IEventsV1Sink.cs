using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Where an <see cref="EventsV1Broadcaster"/> writes events.k8s.io/v1 Events (client-go's events.EventSink), with the
/// same contract as <see cref="IEventSink"/>: a patch of an Event that no longer exists returns null; a refusal
/// throws <see cref="k8s.Autorest.HttpOperationException"/>; any other exception is retried.
/// </summary>
public interface IEventsV1Sink
{
    Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken);

    /// <summary>A strategic merge patch of the Event named as <paramref name="ev"/>.</summary>
    Task<Eventsv1Event?> PatchAsync(Eventsv1Event ev, string patch, CancellationToken cancellationToken);
}
